// Package py reproduces the Python behaviours that decide the bytes real Quay
// sends, so that fakequay can answer byte for byte:
//
//   - [Decode]: json.loads as Flask's request.get_json runs it on the raw body
//     (reference §1.6);
//   - [Repr] and [PFormat]: repr and pprint.pformat of decoded values, the
//     building blocks of jsonschema's error text (§1.6);
//   - [Restful] and [Jsonify]: the two JSON encoders Quay answers with,
//     Flask-RESTful's json.dumps and Flask 2.3's jsonify (§1.4);
//   - [CompileRegexp], [Search] and [Match]: Python re semantics on top of Go's
//     RE2 for the patterns Quay validates with (§1.10).
//
// # Value model
//
// Decoded JSON values are nil (None), bool, [Int] (int, arbitrary precision),
// float64 (float), string (str), []any (list) and *[Object] (dict, ordered).
// Repr, PFormat and the encoders accept these, plus the ordinary Go kinds
// (sized ints, [Float], slices, maps, structs for the encoders).
//
// # Strings and lone surrogates
//
// A Python str is a sequence of code points and may hold lone surrogates
// (U+D800..U+DFFF): json.loads accepts "\ud800" and, because Flask decodes the
// body with the "surrogatepass" error handler, raw surrogate bytes too. Go
// strings are byte strings, so this package stores a surrogate code point as
// its three-byte generalised UTF-8 form (0xED 0xA0..0xBF 0x80..0xBF). Every
// function here reads that form back as one code point: Repr prints
// '\ud800', the encoders write "\ud800", [Len] counts 1. Such strings are not
// valid UTF-8, so other Go code (encoding/json, unicode/utf8) sees three
// U+FFFD instead; keep them inside this package's functions. Bytes that are
// neither UTF-8 nor a surrogate form cannot come out of Decode; if other code
// passes them in, they are read as U+FFFD.
package py
