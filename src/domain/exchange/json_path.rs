//! The field at a position in a JSON text, as a path (`files[0].sha256`), for naming the field of
//! an imported record that does not decode.
//!
//! serde_json says *where* it stopped (line and column) but not in which field. Tracking the
//! field while deserialising (serde_path_to_error) wraps the deserialiser, which compiles a second
//! copy of every record type's `Deserialize` code into the wasm. This one non-generic function
//! finds the field from the position instead, by scanning the record's text up to it.
//!
//! It names what serde_path_to_error named (checked against it on mutations of every field of
//! the demo records), except in corners where the position alone cannot tell: an object given
//! for an enum name is named down to its unknown key (`kind.x`, not `kind`); a tuple with an
//! element too many, down to that element (`pixels[2]`, not `pixels`); and a value its type
//! checks only after reading it (a SID, an E.164 number, a country) that is the last field of its
//! object is named by the object, as serde_json has read the closing brace by then (exports
//! write none of those last).

use std::fmt::Write;

/// One open container on the way to the position.
enum Frame {
    /// An object, with the key whose value is being read (none before the first key, or between
    /// a comma and the next key).
    Object(Option<String>),
    /// An array, with the index of the element being read.
    Array(usize),
}

/// The path of the field of `text` where decoding it failed with `error`, in
/// serde_path_to_error's form: keys joined by `.`, indexes as `[i]` (`files[0].sha256`), `.` for
/// the record itself.
///
/// serde_json's position (line and column from 1, the column in bytes) is just after the last
/// byte it read: after the value it refused, or just after a key when the key is what it refused
/// (``unknown field `x` ``), or after the closing brace of an object that lacks a field
/// (``missing field `x` ``), which the path then names. A syntax error (a value of a shape the
/// type cannot start, such as an array for an enum) counts the byte it refused as read, so that
/// byte is left out.
pub fn field_of(text: &str, error: &serde_json::Error) -> String {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let column = if error.is_syntax() {
        error.column().saturating_sub(1)
    } else {
        error.column()
    };
    path_before(text, line_start + column)
}

/// The path of the value being read once the first `end` bytes of `text` have been read. The
/// text is a record that parsed, so it is valid JSON; anything else only makes the path shorter,
/// never a panic.
fn path_before(text: &str, end: usize) -> String {
    let read = &text.as_bytes()[..end.min(text.len())];
    let mut stack = Vec::new();
    let mut i = 0;
    while i < read.len() {
        match read[i] {
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::Array(index)) => *index += 1,
                None => {}
            },
            b'"' => {
                let Some(close) = string_end(read, i) else {
                    break;
                };
                if let Some(Frame::Object(key @ None)) = stack.last_mut() {
                    *key = Some(unquote(&text[i..=close]));
                }
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => {
                let _ = write!(path, "[{index}]");
            }
        }
    }
    if path.is_empty() { ".".into() } else { path }
}

/// The index of the quote closing the string that opens at `start`, if `bytes` holds it.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A key's text with its escapes resolved (`"a\"b"` is `a"b`), as serde names it.
fn unquote(quoted: &str) -> String {
    serde_json::from_str(quoted).unwrap_or_else(|_| quoted[1..quoted.len() - 1].to_string())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::DeserializeOwned;

    use super::*;

    /// The path where serde_json stops decoding `text` as a `T`.
    fn path_of<T: DeserializeOwned>(text: &str) -> String {
        let Err(e) = serde_json::from_str::<T>(text) else {
            panic!("{text} decoded");
        };
        field_of(text, &e)
    }

    /// Shapes to fail on; their fields are only decoded, never read.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        sha256: u32,
        note: String,
    }

    #[derive(Deserialize)]
    enum Kind {
        A,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Record {
        name: String,
        files: Vec<File>,
        grid: Vec<Vec<u8>>,
        pair: Option<(u8, u8)>,
        kinds: Vec<Kind>,
    }

    const GOOD: &str = r#"{"name":"a \"quoted\" } ] , name","files":[{"sha256":1,"note":"x"},{"sha256":2,"note":"y"}],"grid":[[1],[2,3]],"pair":[1,2],"kinds":["A","A"]}"#;

    /// `GOOD` with its first `from` replaced by `to`.
    fn with(from: &str, to: &str) -> String {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replacen(from, to, 1)
    }

    #[test]
    fn the_good_record_decodes() {
        assert!(serde_json::from_str::<Record>(GOOD).is_ok());
    }

    #[test]
    fn a_value_is_named_by_its_keys_and_indexes() {
        let path = |from, to| path_of::<Record>(&with(from, to));
        assert_eq!(path("\"sha256\":2", "\"sha256\":\"2\""), "files[1].sha256");
        assert_eq!(path("\"note\":\"x\"", "\"note\":7"), "files[0].note");
        assert_eq!(path("[2,3]", "[2,300]"), "grid[1][1]");
        assert_eq!(path("\"pair\":[1,2]", "\"pair\":[1,-2]"), "pair[1]");
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_named_before_it_is_read() {
        let path = |from, to| path_of::<Record>(&with(from, to));
        assert_eq!(path("[[1],", "[{},"), "grid[0]");
        assert_eq!(path("[[1],", "[[{}],"), "grid[0][0]");
        assert_eq!(path("\"name\":\"a", "\"name\":[\"a"), "name");
        assert_eq!(path("\"files\":[", "\"files\":[[],"), "files[0]");
    }

    #[test]
    fn a_syntax_error_leaves_out_the_byte_it_refused() {
        let path = |from, to| path_of::<Record>(&with(from, to));
        assert_eq!(path("[\"A\",\"A\"]", "[\"A\",[\"A\"]]"), "kinds[1]");
        assert_eq!(path("[\"A\",\"A\"]", "[\"A\",null]"), "kinds[1]");
        assert_eq!(path("[\"A\",\"A\"]", "[\"A\",{}]"), "kinds[1]");
    }

    #[test]
    fn brackets_commas_and_escaped_quotes_inside_strings_are_text() {
        let text = with(
            "{\"sha256\":2,\"note\":\"y\"}",
            r#"{"note":"}]\\\"[{,","sha256":"2"}"#,
        );
        assert_eq!(path_of::<Record>(&text), "files[1].sha256");
    }

    #[test]
    fn an_escaped_key_is_named_as_it_reads() {
        assert_eq!(path_before(r#"{"a\"b":1}"#, 7), "a\"b");
        assert_eq!(path_before(r#"{"\u0061":1}"#, 10), "a");
    }

    #[test]
    fn a_missing_field_names_the_object_that_lacks_it() {
        let path = |from, to| path_of::<Record>(&with(from, to));
        assert_eq!(path(",\"note\":\"y\"", ""), "files[1]");
        assert_eq!(path("\"name\":", "\"nom\":"), ".");
        assert_eq!(path_of::<Record>("[]"), ".");
    }

    #[test]
    fn an_unknown_field_is_named_itself() {
        let path = path_of::<Record>(&with("\"note\":\"x\"", "\"nope\":\"x\""));
        assert_eq!(path, "files[0].nope");
    }

    #[test]
    fn a_position_on_a_later_line_counts_from_that_line() {
        let text = "{\"name\": \"n\",\n  \"files\": [\n    {\"sha256\": 1, \"note\": 2}\n  ]\n}";
        let Err(e) = serde_json::from_str::<Record>(text) else {
            panic!("decoded");
        };
        assert_eq!(e.line(), 3);
        assert_eq!(field_of(text, &e), "files[0].note");
    }

    #[test]
    fn a_position_past_the_text_or_in_an_open_string_only_shortens_the_path() {
        assert_eq!(path_before("", 5), ".");
        assert_eq!(path_before("{\"a\":[1,", 99), "a[1]");
        assert_eq!(path_before("{\"a\":\"open", 10), "a");
        assert_eq!(path_before("{\"a", 3), ".");
    }
}
