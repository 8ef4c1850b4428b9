"""Regenerates python_golden.json: what CPython says for each input.

Run from this directory with CPython 3.11 or later:

    python3 generate_golden.py > python_golden.json

For every body in BODIES it records json.loads(body) (as Flask's get_json
runs it: on bytes), and for accepted bodies repr(), pprint.pformat() at
several widths, json.dumps() (Flask-RESTful) and the Flask 2.3 jsonify form.
For every (pattern, text) in REGEXPS it records bool(re.search) and
bool(re.match). Inputs avoid characters added in Unicode 15, so the answers
of CPython 3.11 (Unicode 14) equal those of Quay's CPython 3.12.
"""
import base64
import json
import pprint
import re

WIDTHS = [1, 8, 20, 40, 72, 80]

LONG_TEXT = ("The quick brown fox jumps over the lazy dog; " * 4).strip()

BODIES = [
    b'{}', b'[]', b'""', b'null', b'true', b'false', b'0', b'-0', b'5', b'5.0', b'-0.0',
    b'123456789012345678901234567890', b'-9223372036854775809', b'9223372036854775807',
    b'1e16', b'1e15', b'123456789012345678', b'0.0001', b'0.00001', b'1.5e-7', b'1e22',
    b'1e400', b'-1e400', b'1e-400', b'NaN', b'Infinity', b'-Infinity', b'2.5', b'0.1',
    b'1.7976931348623157e308', b'5e-324', b'100000000000000000000.0', b'12345.678e3',
    b'1E5', b'1e+5', b'1e-5', b'3.14159265358979323846264338327950288',
    b' \t\n\r{"a" : 1 } \n', b'{"a":1,"b":2,"a":3}', b'{"b":1,"a":2}',
    b'{"limit_bytes": 1, "limit": "5G"}',
    b'"it\'s"', b'"say \\"hi\\""', b'"both \' and \\""', b'"back\\\\slash"',
    b'"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u0085\\u00a0\\u00ad"',
    '"caf\u00e9 \u65e5\u672c \U0001F600 \u2028 \u200b \ufeff \ue000"'.encode(),
    b'"\\ud800"', b'"\\udc00\\ud800"', b'"\\ud83d\\ude00"', b'"\\ud83d x"', b'"\\ud83dx\\ude00"',
    b'"\xed\xa0\x80"', b'"\xed\xa0\xbd\xed\xb8\x80"', b'"\\/"',
    json.dumps(LONG_TEXT).encode(),
    json.dumps({"description": LONG_TEXT, "nested": {"list": [LONG_TEXT, 1, 2.5, None, True]}}).encode(),
    json.dumps("line one\nline two is a much longer line that will need wrapping somewhere\r\nthird\x0bfourth\u2028fifth").encode(),
    json.dumps("nospacesatallinthisverylongstringwhichcannotbebrokenanywhereatallreallyyes").encode(),
    json.dumps("   leading spaces and trailing spaces   ").encode(),
    json.dumps("it's a long string with a single quote that goes on and on and on and on").encode(),
    json.dumps("quotes ' and \" mixed in a long string that goes on and on and on and on and on").encode(),
    json.dumps("tabs\tand\tunicode\u00e9\u00e9\u00e9 spaces\u3000ideographic\u00a0nbsp long long long long long").encode(),
    json.dumps([[1, 2, [3, 4, {"k": "v" * 30}]], {"z": 1, "a": [None] * 12}]).encode(),
    json.dumps({"k%02d" % i: i for i in range(12)}).encode(),
    json.dumps({"": "", "\u00e9": 1, "A": 2, "a": 3, "_": 4, "\U0001F600": 5}).encode(),
    b'{"x": [1, 2.0, "three", null, true, false, {}, []]}',
    '{"a": "é"}'.encode('utf-16'), '["x"]'.encode('utf-16-le'), '["x"]'.encode('utf-16-be'),
    '{"a": 1}'.encode('utf-32'), '[1]'.encode('utf-32-le'), '[1]'.encode('utf-32-be'),
    b'\xef\xbb\xbf{"bom": true}', b'\xef\xbb\xbf\xef\xbb\xbf{}',
    # rejected bodies
    b'', b' ', b'[1,]', b'{"a":1,}', b'01', b'1.', b'1e', b'.5', b'-', b'+1', b'[1] x', b'nul',
    b'"\\x"', b'"a\nb"', b'"\\u12"', b'"\\u12g4"', b'"unterminated', b'"\xff"', b'\xff',
    b'"\xed\xa0"', b'"\xc0\xaf"', b'"\xf4\x90\x80\x80"', b'{"a" 1}', b"{'a': 1}", b'[NaN, nan]',
    b'{1: 2}', b'[1 2]', b'\x00', '[1]'.encode('utf-16-le')[:-1], b'-Inf', b'tru', b'1' * 4301,
]
BODIES.append(b'1' * 4300)

REGEXPS = [
    (r"^([a-z0-9]+(?:[._-][a-z0-9]+)*)$", ["alice", "al.ice", "al..ice", "Alice", "alice\n", "alice\n\n", "a", "a_b-c.d", "\u0661", ""]),
    (r"^[\s a-zA-Z0-9\-_:/]*$", ["", "ci key", "a:b/c-d_e", "tab\there", "nbsp\u00a0", "ideo\u3000", "zwsp\u200b", "dot.", "x\n", "x\n\n", "\x1c\x1f\x85", "\u2028", "é"]),
    (r"^[a-z0-9_]+$", ["my_service", "My", "", "a\n", "\u0661", "a-b"]),
    (r"^(\d+\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$",
     ["5G", "5 G", "5\u3000G", "5\tG", "5  G", "1.5G", "\u0665G", "\uff15 GiB", "100", "5G\n", "5g", "G", "5 Yi", "512B", ""]),
    (r"\s", ["abc", "a b", "a\u00a0b", "a\u200bb", "a\x1fb", "a\x85b"]),
    (r"\d\D\w\W", ["1a__", "\u0661x\u00e9!", "1 a!", "11a!", "1a!!"]),
    (r"[\S][\W\d]", ["a!", "a1", " !", "ab"]),
    (r"(?i)^ABC$", ["abc", "ABC", "aBc\n"]),
    (r"(?m)^b$", ["a\nb\nc", "ab"]),
    (r"(?a)^\w+\b", ["abc", "\u00e9t\u00e9"]),
    (r"a{,2}b{2,}c{1}d{}", ["bbcd{}", "aabbbcd{}", "aaabbcd{}"]),
    (r"x\Z", ["x", "x\n"]),
    (r"\x41\u00e9\101\0", ["A\u00e9A\x00"]),
    (r"[]a]+", ["]]a", "b"]),
    (r"[^]a]", ["]", "b"]),
    (r"[a-]", ["-", "b"]),
    (r"[\d-]", ["-", "5", "a"]),
    (r"\.\-\/\:", [".-/:"]),
    (r"(?P<n>a)(?:b)(?#comment)c", ["abc", "ab"]),
]


def float_cases():
    """Bit patterns of doubles, with Python's repr of each."""
    import random
    import struct
    rng = random.Random(20250204)
    values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2 + 0.1, 1 / 3, 2 / 3, 5e9, 1e16, 1e15, 9999999999999998.0,
              1e-4, 1e-5, 0.00012345, 123456789.125, 2.0 ** 53, 2.0 ** 53 + 2, 2.0 ** 63, 2.0 ** 64,
              1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e100, 1e-100, 12345678901234567.0,
              float("inf"), float("-inf"), float("nan")]
    for _ in range(300):
        values.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0])
    for _ in range(200):
        values.append(rng.uniform(-1e6, 1e6))
    for _ in range(100):
        values.append(float(rng.randint(-10**18, 10**18)) * 10.0 ** rng.randint(-30, 30))
    return [{"bits": "%016x" % struct.unpack("<Q", struct.pack("<d", v))[0], "repr": repr(v)} for v in values]


def b64(b):
    return base64.b64encode(b).decode()


def body_record(body):
    rec = {"body_b64": b64(body)}
    try:
        value = json.loads(body)
    except ValueError as e:
        rec["error"] = type(e).__name__
        return rec
    rec["repr"] = repr(value)
    rec["pformat"] = {str(w): pprint.pformat(value, width=w) for w in WIDTHS}
    rec["restful"] = json.dumps(value) + "\n"
    rec["jsonify"] = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n"
    return rec


def main():
    out = {
        "bodies": [body_record(b) for b in BODIES],
        "floats": float_cases(),
        "regexps": [
            {"pattern": p, "cases": [{"text": t, "search": bool(re.search(p, t)), "match": bool(re.match(p, t))} for t in texts]}
            for p, texts in REGEXPS
        ],
    }
    print(json.dumps(out, indent=1, ensure_ascii=True))


main()
