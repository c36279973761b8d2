//! Text measurement and a greedy line breaker over the bundled font's real
//! advance widths.
//!
//! Break opportunities are ordinary spaces (U+0020) only: U+00A0 and U+202F
//! are no-break spaces precisely so that "22 488" or "626 kg" never split.
//! A single word wider than the box is split after a hyphen, slash or dash if
//! one fits, else between characters — text never leaves its box.

use super::fonts::Face;

/// Breaks `text` into lines no wider than `max_width` pt at `size` pt.
///
/// `\n` forces a break. Runs of spaces collapse to one. Always returns at
/// least one line (an empty string for empty input) so a caller can reserve
/// one line of height for an empty cell.
pub fn wrap(face: &Face, text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        let mut line = String::new();
        for word in hard.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= max_width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone may still be too wide: cut it into pieces.
            let mut rest = word.to_string();
            while rest.chars().nth(1).is_some() && face.width(&rest, size) > max_width {
                let (head, tail) = split_word(face, &rest, size, max_width);
                lines.push(head);
                rest = tail;
            }
            line = rest;
        }
        lines.push(line);
    }
    lines
}

/// Splits an over-wide word into a head that fits and the remaining tail.
/// Prefers to break after `-`, `/`, `–` or `—`; always makes progress (at
/// least one character goes into the head, even in an absurdly narrow box).
fn split_word(face: &Face, word: &str, size: f32, max_width: f32) -> (String, String) {
    let mut fit_end = 0; // byte index: longest prefix that fits
    let mut soft_end = None; // byte index just after the last break character that fits
    for (idx, ch) in word.char_indices() {
        let end = idx + ch.len_utf8();
        if face.width(&word[..end], size) > max_width {
            break;
        }
        fit_end = end;
        // A figure too wide for its line is cut where its parts meet
        // ("EUR / 35.82 million") rather than inside a number or a word.
        if matches!(ch, '-' | '/' | '–' | '—' | '\u{a0}' | '\u{202f}') {
            soft_end = Some(end);
        }
    }
    if fit_end == 0 {
        fit_end = word.chars().next().map_or(word.len(), char::len_utf8);
    }
    let cut = soft_end.filter(|&s| s < word.len()).unwrap_or(fit_end);
    (word[..cut].to_string(), word[cut..].to_string())
}

/// The largest size in `[min, max]` (0.5 pt steps) at which `text` fits on
/// one line of `width` pt; `min` if even that is too wide (the caller then
/// wraps).
pub fn fit_size(face: &Face, text: &str, max: f32, min: f32, width: f32) -> f32 {
    let mut size = max;
    while size > min && face.width(text, size) > width {
        size -= 0.5;
    }
    size.max(min)
}

#[cfg(test)]
mod tests {
    use super::super::fonts::family;
    use super::*;

    #[test]
    fn wraps_greedily_and_never_exceeds_width() {
        let face = &family().expect("fonts").regular;
        let text = "During the action days the participants checked 288 774 persons at \
                    border crossing points and arrested 626 suspected migrant smugglers.";
        let lines = wrap(face, text, 10.0, 150.0);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(face.width(l, 10.0) <= 150.0, "{l}");
        }
        assert_eq!(
            lines.join(" "),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn never_breaks_at_no_break_spaces() {
        let face = &family().expect("fonts").regular;
        let lines = wrap(face, "aaaa 22\u{202f}488 bbbb 626\u{a0}kg", 10.0, 45.0);
        assert!(lines.iter().any(|l| l.contains("22\u{202f}488")));
        assert!(lines.iter().any(|l| l.contains("626\u{a0}kg")));
    }

    #[test]
    fn overlong_words_are_cut_prefering_hyphens() {
        let face = &family().expect("fonts").regular;
        let lines = wrap(face, "Bosnia-Herzegovina-Montenegro-Kosovo", 10.0, 70.0);
        assert!(lines.len() > 1);
        assert!(lines[0].ends_with('-'), "{lines:?}");
        for l in &lines {
            assert!(face.width(l, 10.0) <= 70.0, "{l}");
        }
        assert_eq!(lines.concat(), "Bosnia-Herzegovina-Montenegro-Kosovo");
        // Absurdly narrow: still one character per line, no infinite loop.
        assert_eq!(wrap(face, "WWW", 10.0, 1.0), vec!["W", "W", "W"]);
    }

    #[test]
    fn hard_breaks_and_empty_text() {
        let face = &family().expect("fonts").regular;
        assert_eq!(wrap(face, "a\nb", 10.0, 500.0), vec!["a", "b"]);
        assert_eq!(wrap(face, "", 10.0, 500.0), vec![""]);
    }
}
