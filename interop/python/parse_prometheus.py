#!/usr/bin/env python3
"""Independent check of a /metrics page: parses Prometheus text from stdin with Debian's
python3-prometheus-client parser and prints {"<name>": [{"labels": {...}, "value": v}, ...], ...}
(families keyed by name; NaN/Inf as strings). Exits 1 with the parser's error on invalid text."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families

try:
    out = {}
    for family in text_string_to_metric_families(sys.stdin.read()):
        for s in family.samples:
            v = s.value
            if math.isnan(v) or math.isinf(v):
                v = str(v)
            out.setdefault(s.name, []).append({"labels": s.labels, "value": v, "type": family.type})
    print(json.dumps(out, sort_keys=True))
except Exception as e:  # the parser raises ValueError and friends on malformed input
    print("invalid exposition text: %s: %s" % (type(e).__name__, e), file=sys.stderr)
    sys.exit(1)
