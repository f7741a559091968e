#!/usr/bin/env python3
"""Interop peer: read a subject from a Confluent-API registry with CachedSchemaRegistryClient.

Run with Debian's interpreter:  /usr/bin/python3 interop/python/registry_check.py \
    --registry URL --subject S [--lookup]

Calls get_latest_schema(S) (GET /subjects/S/versions/latest), then get_by_id(id)
(GET /schemas/ids/ID, with a fresh client so the cache cannot answer), checks both give the same
schema, and prints  {"id": .., "name": <full name>, "version": ..}.
With --lookup it also calls get_version(S, schema) (POST /subjects/S with python avro's
re-serialization of the schema, which drops record-level "doc") and adds "lookup_version".
Exit codes: 0 ok, 1 error or inconsistency, 2 usage.
"""

import argparse
import json
import logging
import sys

from confluent_kafka.avro import CachedSchemaRegistryClient


def fail(msg):
    print("registry_check: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description="Check a subject through confluent_kafka's CachedSchemaRegistryClient.")
    ap.add_argument("--registry", required=True, help="schema registry URL, e.g. http://127.0.0.1:8081")
    ap.add_argument("--subject", required=True, help="subject, e.g. entrenar.runs.v1-value")
    ap.add_argument("--lookup", action="store_true", help="also look the schema up with POST /subjects/S")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)

    try:
        client = CachedSchemaRegistryClient({"url": args.registry})
        schema_id, schema, version = client.get_latest_schema(args.subject)
        if schema_id is None:
            fail("subject %s not found (GET /subjects/%s/versions/latest)" % (args.subject, args.subject))
        by_id = CachedSchemaRegistryClient({"url": args.registry}).get_by_id(schema_id)
        if by_id is None:
            fail("GET /schemas/ids/%d found nothing" % schema_id)
        if by_id.to_json() != schema.to_json():
            fail("schema of id %d differs from the latest version of %s" % (schema_id, args.subject))
        out = {"id": schema_id, "version": version, "name": schema.fullname}
        if args.lookup:
            lookup = CachedSchemaRegistryClient({"url": args.registry}).get_version(args.subject, schema)
            if lookup is None:
                fail("POST /subjects/%s did not find the latest schema" % args.subject)
            out["lookup_version"] = lookup
    except SystemExit:
        raise
    except Exception as e:
        fail("%s: %s" % (type(e).__name__, e))
    print(json.dumps(out, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
