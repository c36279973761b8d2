//! Characters an input file may not hold (invisible ones; ones the fonts
//! cannot draw), found with the key of the value that holds them.
//!
//! A name, label, reason or requester is printed in documents and cells; a
//! zero-width space makes "Austria" a second participant, a bidirectional
//! override reorders the text around it. One check over every TOML file,
//! raw characters and `\u` escapes alike, rather than one per key.

/// Characters that print as nothing or change how text around them reads.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || super::files::is_bidi_control(c)
        || matches!(
            c,
            '\u{00ad}' | '\u{180e}' | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

/// Where an invisible character is in a file, and in what.
pub struct Found {
    pub span: std::ops::Range<usize>,
    pub character: char,
    /// The dotted key of the value or key that holds it; `None` in a comment.
    pub key: Option<String>,
    /// The string that holds it, for the message.
    pub text: Option<String>,
}

/// The first invisible character of a TOML file's values and keys, or of
/// its comments.
pub fn find(text: &str) -> Option<Found> {
    find_where(text, is_invisible)
}

/// The first character `wanted` picks in a TOML file's values and keys
/// (raw or written as an escape), else in its comments.
pub fn find_where(text: &str, wanted: impl Fn(char) -> bool + Copy) -> Option<Found> {
    let raw = text.char_indices().find(|&(_, c)| wanted(c));
    // Any escape may spell one: `\u200B`, `\xAD` (TOML 1.1), `\b`.
    let escaped = text.contains('\\');
    if raw.is_none() && !escaped {
        return None;
    }
    // Slow path, rare: read the whole file to learn which value holds it.
    let held = toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|table| walk_table(&table, "", wanted));
    let Some((key, held_text, character)) = held else {
        return raw.map(|(at, character)| Found {
            span: at..at + character.len_utf8(),
            character,
            key: None,
            text: None,
        });
    };
    // Point at the character as written: inside its value when the value
    // is written plainly, else at its escape, else wherever it first is.
    let width = character.len_utf8();
    let in_value = text.find(held_text.as_str()).and_then(|at| {
        held_text
            .find(character)
            .map(|inner| at + inner..at + inner + width)
    });
    let span = in_value
        .or_else(|| escape_position(text, character))
        .or_else(|| text.find(character).map(|at| at..at + width))
        .unwrap_or(0..0);
    Some(Found {
        span,
        character,
        key: (!key.is_empty()).then_some(key),
        text: Some(held_text),
    })
}

/// Where an escape spells `character` in the file, outside comments:
/// `\uXXXX`, `\UXXXXXXXX`, `\xHH` (TOML 1.1), or `\b`, `\f`, `\e`.
fn escape_position(text: &str, character: char) -> Option<std::ops::Range<usize>> {
    let code = character as u32;
    let lower = text.to_ascii_lowercase();
    let mut spellings = vec![format!("\\u{code:04x}"), format!("\\u{code:08x}")];
    if code < 0x100 {
        spellings.push(format!("\\x{code:02x}"));
    }
    spellings.extend(
        match character {
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\u{1b}' => Some("\\e"),
            _ => None,
        }
        .map(String::from),
    );
    // A `#` earlier on the line makes it a comment (or, rarely, a string
    // holding one: then the place is only less precise).
    let in_comment = |at: usize| {
        lower[..at]
            .rsplit('\n')
            .next()
            .is_some_and(|line| line.contains('#'))
    };
    spellings
        .iter()
        .filter_map(|escape| {
            lower
                .match_indices(escape.as_str())
                .map(|(at, _)| at)
                .find(|&at| !in_comment(at))
                .map(|at| at..at + escape.len())
        })
        .min_by_key(|span| span.start)
}

/// (dotted key, the string, the character) of the first string or key
/// holding an invisible character.
fn walk_table(
    table: &toml::Table,
    path: &str,
    wanted: impl Fn(char) -> bool + Copy,
) -> Option<(String, String, char)> {
    table.iter().find_map(|(key, value)| {
        let path = match path {
            "" => key.clone(),
            parent => format!("{parent}.{key}"),
        };
        held(key, &path, wanted).or_else(|| walk(value, &path, wanted))
    })
}

fn walk(
    value: &toml::Value,
    path: &str,
    wanted: impl Fn(char) -> bool + Copy,
) -> Option<(String, String, char)> {
    match value {
        toml::Value::String(text) => held(text, path, wanted),
        toml::Value::Array(items) => items.iter().find_map(|item| walk(item, path, wanted)),
        toml::Value::Table(table) => walk_table(table, path, wanted),
        _ => None,
    }
}

fn held(text: &str, path: &str, wanted: impl Fn(char) -> bool) -> Option<(String, String, char)> {
    text.chars()
        .find(|&c| wanted(c))
        .map(|c| (path.to_string(), text.to_string(), c))
}

/// Excel's limit on the characters of one cell: every text of an input can
/// end up in one (a description, a reason, a footnote).
pub const CELL_LIMIT: usize = 32_767;

/// The dotted key and length of the first string longer than a cell holds.
pub fn too_long_for_a_cell(text: &str) -> Option<(String, usize)> {
    if text.len() <= CELL_LIMIT {
        // Fewer bytes than the limit: no string can have more characters.
        return None;
    }
    fn walk(value: &toml::Value, path: &str) -> Option<(String, usize)> {
        match value {
            toml::Value::String(text) => {
                let chars = text.chars().count();
                (chars > CELL_LIMIT).then(|| (path.to_string(), chars))
            }
            toml::Value::Array(items) => items.iter().find_map(|item| walk(item, path)),
            toml::Value::Table(table) => table.iter().find_map(|(key, item)| {
                let path = match path {
                    "" => key.clone(),
                    parent => format!("{parent}.{key}"),
                };
                walk(item, &path)
            }),
            _ => None,
        }
    }
    let table = toml::from_str::<toml::Table>(text).ok()?;
    walk(&toml::Value::Table(table), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_and_escaped_invisible_characters_are_found_with_their_key() {
        let found = find("[[groups]]\nmembers = [\"Aus\u{200b}tria\"]\n").unwrap();
        assert_eq!(found.character, '\u{200b}');
        assert_eq!(found.key.as_deref(), Some("groups.members"));
        let found = find("reason = \"late \\u202E figures\"\n").unwrap();
        assert_eq!(found.character, '\u{202e}');
        assert_eq!(found.key.as_deref(), Some("reason"));
        let found = find("# a comment\u{2066}\nname = \"x\"\n").unwrap();
        assert_eq!((found.character, found.key), ('\u{2066}', None));
        assert!(find("name = \"Türkiye\"\t# tab\r\n").is_none());
        assert!(find("path = \"C:\\\\users\"\n").is_none());
        let found = find("[[corrections]]\ndate = 2024-03-08\nreason = \"a\u{200b}b\"\n").unwrap();
        assert_eq!(found.key.as_deref(), Some("corrections.reason"));
    }
}
