#!/usr/bin/env python3
"""Interop peer: read Confluent-framed Avro records with confluent_kafka.avro.AvroConsumer.

Run with Debian's interpreter:  /usr/bin/python3 interop/python/consume_avro.py \
    --bootstrap HOST:PORT --registry URL --topic T [--topic T2 ...] --count N [--timeout SECONDS] [--group G]

Reads N records from each topic (one process for many topics keeps test suites fast) and prints
one line per record, in consumption order:
    {"key": <UTF-8 key or null>, "schema_id": <id from bytes 1..4>, "topic": T, "value": <normalized value>}
as json.dumps(..., sort_keys=True, allow_nan=False). Exit codes: 0 ok, 1 error, 2 usage,
3 timeout (fewer than N records within --timeout seconds).

AvroConsumer.poll() also Avro-decodes the KEY and fails on our plain UTF-8 keys ("message does
not start with magic byte"). So each message is fetched with the plain Consumer.poll of the
AvroConsumer instance, and its value is decoded with the AvroConsumer's own MessageSerializer
(the exact code AvroConsumer.poll runs for values); the key is read as UTF-8 text.
"""

import argparse
import json
import os
import struct
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from confluent_kafka import Consumer, KafkaError  # noqa: E402
from confluent_kafka.avro import AvroConsumer  # noqa: E402
from avro_json import normalize  # noqa: E402

EXIT_ERROR, EXIT_TIMEOUT = 1, 3


def fail(code, msg):
    print("consume_avro: " + msg, file=sys.stderr, flush=True)
    sys.exit(code)


def main():
    ap = argparse.ArgumentParser(description="Consume Avro records (Confluent framing) and print normalized JSON lines.")
    ap.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, HOST:PORT[,HOST:PORT]")
    ap.add_argument("--registry", required=True, help="schema registry URL, e.g. http://127.0.0.1:8081")
    ap.add_argument("--topic", required=True, action="append", help="topic to read; repeat for several")
    ap.add_argument("--count", type=int, required=True, help="number of records to read from each topic")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for all records (default 30)")
    ap.add_argument("--group", default=None, help="consumer group id (default: a fresh random one)")
    args = ap.parse_args()
    if args.count < 0:
        ap.error("--count must be >= 0")

    consumer = AvroConsumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group or "entrenar-interop-py-" + uuid.uuid4().hex[:12],
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.partition.eof": False,
        "schema.registry.url": args.registry,
    })
    serializer = consumer._serializer  # the MessageSerializer AvroConsumer.poll uses
    registry = serializer.registry_client
    deadline = time.monotonic() + args.timeout
    last_error = None
    got = {t: 0 for t in args.topic}
    try:
        consumer.subscribe(list(got))
        while any(n < args.count for n in got.values()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                fail(EXIT_TIMEOUT, "timeout after %gs: read %s of %d records per topic%s" % (
                    args.timeout, json.dumps(got, sort_keys=True), args.count,
                    "; last error: %s" % last_error if last_error else ""))
            msg = Consumer.poll(consumer, min(remaining, 0.5))
            if msg is None:
                continue
            err = msg.error()
            if err is not None:
                if err.code() == KafkaError._PARTITION_EOF:
                    continue
                if err.fatal():
                    fail(EXIT_ERROR, "fatal consumer error: %s" % err)
                last_error = str(err)  # e.g. topic not yet created: keep waiting until the timeout
                continue
            if got.get(msg.topic(), args.count) >= args.count:
                continue  # more than asked for on this topic
            raw = msg.value()
            key = msg.key()
            if key is not None:
                try:
                    key = key.decode("utf-8")
                except UnicodeDecodeError:
                    fail(EXIT_ERROR, "key at %s[%d]@%d is not UTF-8" % (msg.topic(), msg.partition(), msg.offset()))
            if raw is None:
                line = {"key": key, "schema_id": None, "topic": msg.topic(), "value": None}  # tombstone
            else:
                if len(raw) < 5 or raw[0] != 0:
                    fail(EXIT_ERROR, "value at %s[%d]@%d is not Confluent-framed (magic byte %r)" % (
                        msg.topic(), msg.partition(), msg.offset(), raw[:1]))
                schema_id = struct.unpack(">I", raw[1:5])[0]
                try:
                    datum = serializer.decode_message(raw, is_key=False)
                    schema = registry.get_by_id(schema_id)
                    value = normalize(schema, datum)
                except Exception as e:  # SerializerError, avro errors, normalization errors
                    fail(EXIT_ERROR, "cannot decode value at %s[%d]@%d (schema id %d): %s: %s" % (
                        msg.topic(), msg.partition(), msg.offset(), schema_id, type(e).__name__, e))
                line = {"key": key, "schema_id": schema_id, "topic": msg.topic(), "value": value}
            print(json.dumps(line, sort_keys=True, allow_nan=False), flush=True)
            got[msg.topic()] += 1
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
