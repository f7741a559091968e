"""Schema-directed conversion between python-avro data and Entrenar's normalized JSON.

Shared by the interop peers (consume_avro.py, produce_avro.py). Only the standard library and
Debian's python3-avro are used. See interop/README.md for the normalization rules.

normalize(schema, datum) turns a datum as python avro's DatumReader returns it into a value for
json.dumps(..., sort_keys=True, allow_nan=False):
  record -> object by field name; union -> the branch value (null stays null, no wrappers);
  enum -> symbol; int/long -> integer; float/double -> number, NaN/Infinity/-Infinity as strings;
  logical types -> their underlying Avro value (timestamp-micros -> integer microseconds since the
  epoch); array -> array; map -> object; string -> string; bytes/fixed -> base64 string.

from_json(schema, value) is the inverse: it turns normalized JSON (as in interop/samples/) into the
datum python avro's DatumWriter accepts (tz-aware datetime for timestamp-micros, float for
"NaN"/"Infinity", bytes for base64). Missing record fields take their schema default.
"""

import base64
import datetime
import math

import avro.io
import avro.schema

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
EPOCH_DATE = datetime.date(1970, 1, 1)
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class ConversionError(ValueError):
    pass


def _micros(td):
    """Exact integer microseconds of a timedelta (no float arithmetic)."""
    return (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds


def _logical(schema):
    return getattr(schema, "logical_type", None)


def _float_out(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _branch_of(union, datum):
    """The union branch a decoded datum belongs to (python avro does not report it)."""
    if datum is None:
        for b in union.schemas:
            if b.type == "null":
                return b
    for b in union.schemas:
        if b.type != "null" and avro.io.validate(b, datum):
            return b
    raise ConversionError("value %r matches no branch of union %s" % (datum, union))


def normalize(schema, datum):
    t = schema.type
    if isinstance(schema, avro.schema.UnionSchema):
        return normalize(_branch_of(schema, datum), datum)
    if t in ("record", "error", "request"):
        return {f.name: normalize(f.type, datum.get(f.name)) for f in schema.fields}
    if t == "enum":
        return str(datum)
    if t == "array":
        return [normalize(schema.items, x) for x in datum]
    if t == "map":
        return {str(k): normalize(schema.values, v) for k, v in datum.items()}
    if t == "null":
        return None
    if t == "boolean":
        return bool(datum)
    if t == "string":
        return str(datum)
    if t in ("bytes", "fixed"):
        if not isinstance(datum, (bytes, bytearray)):
            raise ConversionError("logical type %s of %s is not supported" % (_logical(schema), t))
        return base64.b64encode(bytes(datum)).decode("ascii")
    if t in ("float", "double"):
        return _float_out(datum)
    if t in ("int", "long"):
        if isinstance(datum, datetime.datetime):  # timestamp-millis / timestamp-micros
            micros = _micros(datum - EPOCH)
            return micros // 1000 if _logical(schema) == "timestamp-millis" else micros
        if isinstance(datum, datetime.date):  # date
            return (datum - EPOCH_DATE).days
        if isinstance(datum, datetime.time):  # time-millis / time-micros
            micros = ((datum.hour * 60 + datum.minute) * 60 + datum.second) * 1_000_000 + datum.microsecond
            return micros // 1000 if _logical(schema) == "time-millis" else micros
        if isinstance(datum, bool) or not isinstance(datum, int):
            raise ConversionError("expected an integer for %s, got %r" % (t, datum))
        return int(datum)
    raise ConversionError("unsupported Avro type %s" % t)


def from_json(schema, value, path="$"):
    t = schema.type
    if isinstance(schema, avro.schema.UnionSchema):
        if value is None and any(b.type == "null" for b in schema.schemas):
            return None
        errors = []
        for b in schema.schemas:
            if b.type == "null":
                continue
            try:
                datum = from_json(b, value, path)
            except ConversionError as e:
                errors.append(str(e))
                continue
            if avro.io.validate(b, datum):
                return datum
        raise ConversionError("%s: %r fits no branch of %s (%s)" % (path, value, schema, "; ".join(errors)))
    if t in ("record", "error", "request"):
        if not isinstance(value, dict):
            raise ConversionError("%s: expected an object for record %s" % (path, schema.fullname))
        names = {f.name for f in schema.fields}
        extra = sorted(set(value) - names)
        if extra:
            raise ConversionError("%s: unknown fields %s for record %s" % (path, extra, schema.fullname))
        out = {}
        for f in schema.fields:
            if f.name in value:
                out[f.name] = from_json(f.type, value[f.name], path + "." + f.name)
            elif f.has_default:
                out[f.name] = from_json(f.type, f.default, path + "." + f.name)
            else:
                raise ConversionError("%s: missing field %s (no default)" % (path, f.name))
        return out
    if t == "enum":
        if value not in schema.symbols:
            raise ConversionError("%s: %r is not a symbol of %s" % (path, value, schema.fullname))
        return value
    if t == "array":
        if not isinstance(value, list):
            raise ConversionError("%s: expected an array" % path)
        return [from_json(schema.items, x, "%s[%d]" % (path, i)) for i, x in enumerate(value)]
    if t == "map":
        if not isinstance(value, dict):
            raise ConversionError("%s: expected an object for a map" % path)
        return {k: from_json(schema.values, v, "%s[%r]" % (path, k)) for k, v in value.items()}
    if t == "null":
        if value is not None:
            raise ConversionError("%s: expected null" % path)
        return None
    if t == "boolean":
        if not isinstance(value, bool):
            raise ConversionError("%s: expected a boolean" % path)
        return value
    if t == "string":
        if not isinstance(value, str):
            raise ConversionError("%s: expected a string" % path)
        return value
    if t in ("bytes", "fixed"):
        if not isinstance(value, str):
            raise ConversionError("%s: expected a base64 string" % path)
        return base64.b64decode(value, validate=True)
    if t in ("float", "double"):
        if isinstance(value, str) and value in _NON_FINITE:
            return _NON_FINITE[value]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConversionError("%s: expected a number or NaN/Infinity/-Infinity" % path)
        return float(value)
    if t in ("int", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConversionError("%s: expected an integer" % path)
        lt = _logical(schema)
        # python avro only writes these logical types from datetime objects (its validator
        # rejects plain integers), so convert exactly with timedelta arithmetic.
        try:
            if lt == "timestamp-micros":
                return EPOCH + datetime.timedelta(microseconds=value)
            if lt == "timestamp-millis":
                return EPOCH + datetime.timedelta(milliseconds=value)
            if lt == "date":
                return EPOCH_DATE + datetime.timedelta(days=value)
        except OverflowError:
            raise ConversionError("%s: %d is outside python's datetime range (years 1..9999); "
                                  "python avro cannot write it" % (path, value))
        if lt in ("time-micros", "time-millis"):
            raise ConversionError("%s: logical type %s is not supported" % (path, lt))
        return value
    raise ConversionError("%s: unsupported Avro type %s" % (path, t))
