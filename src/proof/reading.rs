//! Reading a written text: the numbers it states, as releases write them.
//!
//! The text is cut into tokens (words, numbers, signs, boundaries), then the
//! tokens into what the text states: quantities ("almost 290 000",
//! "EUR 13.5 million", "Ten", "a tonne"), dates ("13 and 18 November
//! 2023", "in March") and durations ("a week of", "12 days"). Years,
//! times, percentages, ordinals, identifiers ("SIENA_2090561-163-1"),
//! references ("1244/1999", "IPA/2019"), file names and the spans the
//! caller masks (text that comes from the operation itself) are read as
//! what they are and stated as nothing.

use crate::model::{Amount, Currency, Qualifier, Unit};
use std::ops::Range;

/// One token of the text, with its byte span.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// A word: as written, in lower case, and its stem for matching.
    Word {
        text: String,
        lower: String,
        stem: String,
    },
    /// Digits with their separators, as written ("22 488", "2,6").
    Number(Vec<Group>),
    /// € $ £ before (or after) an amount.
    Sign(Currency),
    Percent,
    /// Punctuation; see [`TokenKind::is_boundary`].
    Punct(char),
    /// A new paragraph, list item or heading.
    Break,
    /// Something that is not a figure and must not join words around it:
    /// an identifier, a file name, a reference, a time, a masked span.
    Skip,
}

impl TokenKind {
    /// Whether the token ends the words that belong to a number: a
    /// bracket, a sentence or clause end, a new item.
    pub fn is_boundary(&self) -> bool {
        match self {
            TokenKind::Punct(c) => !matches!(
                c,
                ',' | '"' | '“' | '”' | '‘' | '’' | '\'' | '/' | '*' | '_' | '\\' | '&' | '+' | '='
            ),
            TokenKind::Break | TokenKind::Skip | TokenKind::Number(_) | TokenKind::Sign(_) => true,
            TokenKind::Percent => true,
            TokenKind::Word { .. } => false,
        }
    }
}

/// A run of digits and the separator written before it (none for the first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub separator: Option<char>,
    pub digits: String,
}

/// Which mark a text uses for decimals, judged from its unambiguous numbers
/// ("2,6" and "1.234.567" are EU; "2.6" and "1,234,567" English).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convention {
    /// A comma for decimals, dots or spaces between thousands.
    Eu,
    /// A dot for decimals, commas or spaces between thousands.
    English,
    /// Nothing decides: "22.488" may be either.
    Unknown,
}

/// A quantity the text states.
#[derive(Clone, Debug, PartialEq)]
pub struct Stated {
    /// From the qualifier (or currency) to the unit: "almost 290 000".
    pub span: Range<usize>,
    pub qualifier: Qualifier,
    /// The amount in `unit` (scale words applied: "67 million").
    pub amount: Amount,
    /// The other reading of an ambiguous separator ("22.488").
    pub alternative: Option<Amount>,
    /// The precision it is written to, in `unit`: 100 for "4 100", 0.1
    /// million for "2.6 million", 1 for "4 117".
    pub step: Amount,
    /// The unit written with it, if any (a currency, a mass, a volume).
    pub unit: Option<Unit>,
    /// Written in words ("Ten", "a").
    pub worded: bool,
    /// "one" or "a": often not a figure at all ("one of the").
    pub weak: bool,
    /// Four plain digits from 1900 to 2100: a year unless words after it
    /// make it a figure.
    pub maybe_year: bool,
    /// First token of the statement, and the one after it.
    pub first: usize,
    pub next: usize,
}

/// A date or a month the text names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dated {
    pub span: Range<usize>,
    /// Day of month; `None` for a month alone ("in March").
    pub day: Option<u8>,
    pub month: time::Month,
    pub year: Option<i32>,
    /// Its sentence names the action ("the action ran from …").
    pub anchored: bool,
    /// The other end of a range ("from 28 June to 23 November", "13 and 18
    /// November"), by index into `Reading::dates`.
    pub range: Option<usize>,
}

/// A length of time the text gives: "a week of", "12 days", "one-day".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lasting {
    pub span: Range<usize>,
    pub count: u64,
    pub unit: TimeUnit,
    pub qualifier: Qualifier,
    /// Said of the action ("a five-day operation", "four days of action",
    /// "the operation ran for four days"), not of something else ("the
    /// cycle runs for four years").
    pub anchored: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Day,
    Week,
    Month,
    Year,
}

impl TimeUnit {
    pub fn word(self, plural: bool) -> &'static str {
        match (self, plural) {
            (TimeUnit::Day, false) => "day",
            (TimeUnit::Day, true) => "days",
            (TimeUnit::Week, false) => "week",
            (TimeUnit::Week, true) => "weeks",
            (TimeUnit::Month, false) => "month",
            (TimeUnit::Month, true) => "months",
            (TimeUnit::Year, false) => "year",
            (TimeUnit::Year, true) => "years",
        }
    }

    fn parse(stem: &str) -> Option<TimeUnit> {
        match stem {
            "day" => Some(TimeUnit::Day),
            "week" => Some(TimeUnit::Week),
            "month" => Some(TimeUnit::Month),
            "year" => Some(TimeUnit::Year),
            _ => None,
        }
    }
}

/// Everything read from a text.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    pub tokens: Vec<Token>,
    pub quantities: Vec<Stated>,
    pub dates: Vec<Dated>,
    pub durations: Vec<Lasting>,
}

/// File endings that make a line or a word a file name, not a figure.
const FILE_ENDINGS: [&str; 22] = [
    "png", "jpg", "jpeg", "gif", "webp", "tif", "tiff", "bmp", "pdf", "doc", "docx", "xls", "xlsx",
    "ppt", "pptx", "txt", "csv", "zip", "mp4", "mov", "toml", "md",
];

/// Reads `text`, leaving out the byte ranges in `masked` (sorted or not).
pub fn read(text: &str, masked: &[Range<usize>]) -> Reading {
    let mut masks: Vec<Range<usize>> = masked.to_vec();
    masks.extend(file_name_lines(text));
    masks.extend(web_addresses(text));
    masks.sort_by_key(|r| r.start);
    let tokens = tokenise(text, &masks);
    let convention = convention(&tokens);
    let mut reading = Reading {
        tokens,
        ..Reading::default()
    };
    statements(&mut reading, convention);
    reading
}

/// Lines that are a file name ("• WhatsApp Image 2023-11-16 at 14.25.40 (1).jpeg").
fn file_name_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let is_file = trimmed
            .rsplit_once('.')
            .is_some_and(|(_, ending)| FILE_ENDINGS.contains(&ending.to_lowercase().as_str()))
            && trimmed.split_whitespace().count() <= 12;
        if is_file {
            out.push(start..start + trimmed.len());
        }
        start += line.len();
    }
    out
}

/// `http://…`, `https://…` and `www.…` up to the next space.
fn web_addresses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for prefix in ["http://", "https://", "www."] {
        for (at, _) in text.match_indices(prefix) {
            let end = text[at..]
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                .map_or(text.len(), |i| at + i);
            out.push(at..end);
        }
    }
    out
}

const SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

/// Characters from `at`, with their byte offsets.
struct Cursor<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl Cursor<'_> {
    fn char(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(o, _)| o)
    }

    fn is_digit(&self, i: usize) -> bool {
        self.char(i).is_some_and(|c| c.is_ascii_digit())
    }

    /// Exactly three digits from `i`, and no fourth.
    fn three_digits(&self, i: usize) -> bool {
        (i..i + 3).all(|k| self.is_digit(k)) && !self.is_digit(i + 3)
    }

    fn digits_from(&self, i: usize) -> usize {
        let mut k = i;
        while self.is_digit(k) {
            k += 1;
        }
        k
    }

    /// Whether `c` joins a word (letters, digits, marks like ³).
    fn is_wordish(c: char) -> bool {
        c.is_alphanumeric() || c == '_'
    }
}

fn tokenise(text: &str, masks: &[Range<usize>]) -> Vec<Token> {
    let cursor = Cursor {
        text,
        chars: text.char_indices().collect(),
    };
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut mask = 0;
    let mut line_start = true;
    while i < cursor.chars.len() {
        let at = cursor.offset(i);
        // A masked span is one Skip.
        while mask < masks.len() && masks[mask].end <= at {
            mask += 1;
        }
        if let Some(range) = masks.get(mask).filter(|r| r.start <= at && at < r.end) {
            let end = range.end;
            tokens.push(Token {
                kind: TokenKind::Skip,
                span: at..end,
            });
            while i < cursor.chars.len() && cursor.offset(i) < end {
                i += 1;
            }
            continue;
        }
        let Some(c) = cursor.char(i) else { break };
        if c == '\n' {
            if breaks_after(&cursor, i) {
                tokens.push(Token {
                    kind: TokenKind::Break,
                    span: at..at + 1,
                });
            }
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if line_start && c == '#' {
            // A heading ends at its line.
            tokens.push(Token {
                kind: TokenKind::Break,
                span: at..at + 1,
            });
        }
        // "1. " opening a line numbers a list item, and "+31 70 302 5000"
        // is a telephone number: neither is a figure.
        let marker_end = cursor.digits_from(i);
        if line_start
            && c.is_ascii_digit()
            && marker_end - i <= 2
            && matches!(cursor.char(marker_end), Some('.' | ')'))
            && cursor.char(marker_end + 1) == Some(' ')
        {
            tokens.push(Token {
                kind: TokenKind::Break,
                span: at..cursor.offset(marker_end + 1),
            });
            line_start = false;
            i = marker_end + 1;
            continue;
        }
        line_start = false;
        // "0800 240 240" too: a leading zero makes a number a code.
        let leading_zero = c == '0'
            && cursor.digits_from(i) - i >= 3
            && !i
                .checked_sub(1)
                .and_then(|k| cursor.char(k))
                .is_some_and(|p| p.is_ascii_digit() || p == '.' || p == ',');
        let international = c == '+' && cursor.char(i + 1).is_some_and(|d| d.is_ascii_digit());
        if leading_zero || international {
            let mut end = i + 1;
            // Digits, single spaces between them, and a "(0)" trunk prefix.
            while cursor.char(end).is_some_and(|d| {
                let next_digit = cursor.char(end + 1).is_some_and(|n| n.is_ascii_digit());
                d.is_ascii_digit()
                    || (d == ' ' && (next_digit || cursor.char(end + 1) == Some('(')))
                    || (d == '('
                        && cursor.char(end + 1) == Some('0')
                        && cursor.char(end + 2) == Some(')'))
                    || (d == ')' && cursor.char(end.wrapping_sub(1)) == Some('0'))
            }) {
                end += 1;
            }
            tokens.push(Token {
                kind: TokenKind::Skip,
                span: at..cursor.offset(end),
            });
            i = end;
            continue;
        }
        if c.is_ascii_digit() {
            i = number(&cursor, i, &mut tokens);
        } else if Cursor::is_wordish(c) {
            i = word(&cursor, i, &mut tokens);
        } else if let Some(currency) = Currency::from_sign(c) {
            tokens.push(Token {
                kind: TokenKind::Sign(currency),
                span: at..at + c.len_utf8(),
            });
            i += 1;
        } else if c == '%' {
            tokens.push(Token {
                kind: TokenKind::Percent,
                span: at..at + 1,
            });
            i += 1;
        } else if c == '•' {
            tokens.push(Token {
                kind: TokenKind::Break,
                span: at..at + c.len_utf8(),
            });
            i += 1;
        } else {
            tokens.push(Token {
                kind: TokenKind::Punct(c),
                span: at..at + c.len_utf8(),
            });
            i += 1;
        }
    }
    tokens
}

/// Whether the line after the newline at `i` starts something new: a blank
/// line, a list item, a heading, a quote or table row.
fn breaks_after(cursor: &Cursor, i: usize) -> bool {
    let mut k = i + 1;
    while cursor
        .char(k)
        .is_some_and(|c| c != '\n' && c.is_whitespace())
    {
        k += 1;
    }
    match cursor.char(k) {
        None | Some('\n') => true,
        Some('-' | '*' | '+' | '•' | '#' | '>' | '|') => true,
        Some(c) if c.is_ascii_digit() => {
            let end = cursor.digits_from(k);
            matches!(cursor.char(end), Some('.' | ')')) && cursor.char(end + 1) == Some(' ')
        }
        _ => false,
    }
}

/// Reads the number at `i` (a digit); returns where reading goes on.
fn number(cursor: &Cursor, i: usize, tokens: &mut Vec<Token>) -> usize {
    let start = cursor.offset(i);
    // Glued to a word before it: part of an identifier ("H1", "IPA/2019",
    // "COVID-19", "v2.5").
    let before = i.checked_sub(1).and_then(|k| cursor.char(k));
    let before2 = i.checked_sub(2).and_then(|k| cursor.char(k));
    let glued = match before {
        Some(c) if Cursor::is_wordish(c) => true,
        Some('/' | '#' | '\\' | '@') => true,
        Some('-' | '.') => before2.is_some_and(Cursor::is_wordish),
        _ => false,
    };
    if glued {
        return skip_chunk(cursor, i, tokens);
    }
    // A footnote marker: "States[1]".
    let end_digits = cursor.digits_from(i);
    if before == Some('[') && cursor.char(end_digits) == Some(']') {
        tokens.push(Token {
            kind: TokenKind::Skip,
            span: start..cursor.offset(end_digits + 1),
        });
        return end_digits + 1;
    }
    let mut groups = vec![Group {
        separator: None,
        digits: String::new(),
    }];
    let mut k = i;
    let end_digits = cursor.digits_from(k);
    groups[0].digits = cursor.text[cursor.offset(k)..cursor.offset(end_digits)].to_string();
    k = end_digits;
    while let Some(c) = cursor.char(k) {
        let only_spaces = groups.iter().skip(1).all(|g| {
            g.separator
                .is_some_and(|s| SPACES.contains(&s) || s == '\'')
        });
        if (SPACES.contains(&c) || c == '\'')
            && only_spaces
            && cursor.three_digits(k + 1)
            && groups.last().is_some_and(|g| g.digits.len() <= 3)
        {
            groups.push(Group {
                separator: Some(c),
                digits: cursor.text[cursor.offset(k + 1)..cursor.offset(k + 4)].to_string(),
            });
            k += 4;
        } else if matches!(c, ',' | '.') && cursor.is_digit(k + 1) {
            let end = cursor.digits_from(k + 1);
            groups.push(Group {
                separator: Some(c),
                digits: cursor.text[cursor.offset(k + 1)..cursor.offset(end)].to_string(),
            });
            k = end;
        } else {
            break;
        }
    }
    let end = cursor.offset(k);
    match cursor.char(k) {
        // A time ("14:25"), a reference or a date with slashes.
        Some(':' | '/') if cursor.is_digit(k + 1) => return skip_chunk(cursor, i, tokens),
        // A file name ("002.png") or a number glued to an abbreviation.
        Some('.') if cursor.char(k + 1).is_some_and(char::is_alphabetic) => {
            return skip_chunk(cursor, i, tokens);
        }
        Some(c) if Cursor::is_wordish(c) => {
            // Glued letters: a unit ("626kg", "2.6t"), an ordinal ("11th")
            // or an identifier ("3D").
            let mut w = k;
            while cursor.char(w).is_some_and(Cursor::is_wordish) {
                w += 1;
            }
            let letters = &cursor.text[cursor.offset(k)..cursor.offset(w)];
            let is_unit = Unit::parse(letters).is_some_and(|u| !u.is_countable());
            if !is_unit {
                return skip_chunk(cursor, i, tokens);
            }
            tokens.push(Token {
                kind: TokenKind::Number(groups),
                span: start..end,
            });
            push_word(tokens, letters, end..cursor.offset(w));
            return w;
        }
        _ => {}
    }
    // Dots between groups of other lengths than three: a time or version
    // ("14.25.40", "2.0.1").
    let dots = groups.iter().filter(|g| g.separator == Some('.')).count();
    if dots > 1 && groups.iter().skip(1).any(|g| g.digits.len() != 3) {
        tokens.push(Token {
            kind: TokenKind::Skip,
            span: start..end,
        });
        return k;
    }
    tokens.push(Token {
        kind: TokenKind::Number(groups),
        span: start..end,
    });
    k
}

/// Skips the rest of a chunk of non-space characters as one Skip token
/// (an identifier, a file name, a reference); a trailing full stop or
/// bracket is left to end the sentence.
fn skip_chunk(cursor: &Cursor, i: usize, tokens: &mut Vec<Token>) -> usize {
    // Back to the chunk's start, so that "IPA/" joins "2019".
    let mut s = i;
    while s > 0 && cursor.char(s - 1).is_some_and(|c| !c.is_whitespace()) {
        s -= 1;
    }
    let mut e = i;
    while cursor.char(e).is_some_and(|c| !c.is_whitespace()) {
        e += 1;
    }
    while e > i
        && cursor
            .char(e - 1)
            .is_some_and(|c| matches!(c, '.' | ',' | ';' | ':' | ')' | ']' | '!' | '?'))
    {
        e -= 1;
    }
    let start = cursor.offset(s);
    // Tokens already read from this chunk become part of the skip.
    while tokens.last().is_some_and(|t| t.span.start >= start) {
        tokens.pop();
    }
    tokens.push(Token {
        kind: TokenKind::Skip,
        span: start..cursor.offset(e),
    });
    e
}

/// Reads the word at `i`: letters, digits, inner hyphens and apostrophes.
fn word(cursor: &Cursor, i: usize, tokens: &mut Vec<Token>) -> usize {
    let mut k = i;
    loop {
        match cursor.char(k) {
            Some(c) if Cursor::is_wordish(c) => k += 1,
            Some('-' | '\'' | '’')
                if cursor.char(k + 1).is_some_and(char::is_alphabetic) && k > i =>
            {
                k += 1
            }
            _ => break,
        }
    }
    let text = &cursor.text[cursor.offset(i)..cursor.offset(k)];
    let unit_word = Unit::parse(text).is_some();
    if text.bytes().any(|b| b.is_ascii_digit()) && !unit_word {
        return skip_chunk(cursor, i, tokens);
    }
    push_word(tokens, text, cursor.offset(i)..cursor.offset(k));
    k
}

fn push_word(tokens: &mut Vec<Token>, text: &str, span: Range<usize>) {
    let lower = text.to_lowercase();
    tokens.push(Token {
        kind: TokenKind::Word {
            text: text.to_string(),
            stem: stem(&lower),
            lower,
        },
        span,
    });
}

/// A crude English stem, the same for a word in a text and in a name:
/// plurals and common endings go ("entities" → "entity", "trafficking"
/// and "traffickers" → "traffick", "seized" → "seiz").
pub fn stem(lower: &str) -> String {
    let mut word = lower
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .to_string();
    if word.chars().count() <= 3 {
        return word;
    }
    if let Some(base) = word.strip_suffix("ies") {
        word = format!("{base}y");
    } else if word.ends_with("sses")
        || word.ends_with("xes")
        || word.ends_with("ches")
        || word.ends_with("shes")
        || word.ends_with("ses")
    {
        word.truncate(word.len() - 2);
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word.truncate(word.len() - 1);
    }
    for ending in ["ing", "ers", "er", "ed"] {
        if word.len() >= ending.len() + 4 && word.ends_with(ending) {
            word.truncate(word.len() - ending.len());
            break;
        }
    }
    if word.len() >= 5 && word.ends_with('e') {
        word.truncate(word.len() - 1);
    }
    word
}

/// Decides the decimal mark from the numbers that leave no doubt.
fn convention(tokens: &[Token]) -> Convention {
    let (mut eu, mut english) = (0, 0);
    for token in tokens {
        let TokenKind::Number(groups) = &token.kind else {
            continue;
        };
        let marks: Vec<(char, usize)> = groups
            .iter()
            .filter_map(|g| {
                g.separator
                    .filter(|s| matches!(s, ',' | '.'))
                    .map(|s| (s, g.digits.len()))
            })
            .collect();
        let commas = marks.iter().filter(|(s, _)| *s == ',').count();
        let dots = marks.len() - commas;
        match marks.last() {
            Some((',', n)) if *n != 3 || dots > 0 => eu += 1,
            Some(('.', n)) if *n != 3 || commas > 0 => english += 1,
            _ if dots > 1 => eu += 1,
            _ if commas > 1 => english += 1,
            _ => {}
        }
    }
    match eu.cmp(&english) {
        std::cmp::Ordering::Greater => Convention::Eu,
        std::cmp::Ordering::Less => Convention::English,
        std::cmp::Ordering::Equal => Convention::Unknown,
    }
}

/// A number as written → its amount, the other reading if the separator is
/// ambiguous, and its precision (in the same unit).
fn value(groups: &[Group], convention: Convention) -> Option<(Amount, Option<Amount>, Amount)> {
    let last_mark = groups
        .iter()
        .rposition(|g| matches!(g.separator, Some(',' | '.')));
    let whole_then = |decimal_at: Option<usize>| -> Option<(Amount, Amount)> {
        let (whole, fraction): (String, &str) = match decimal_at {
            Some(at) => (
                groups[..at].iter().map(|g| g.digits.as_str()).collect(),
                groups[at].digits.as_str(),
            ),
            None => (groups.iter().map(|g| g.digits.as_str()).collect(), ""),
        };
        let text = if fraction.is_empty() {
            whole.clone()
        } else {
            format!("{whole}.{fraction}")
        };
        let amount = Amount::parse_decimal(&text)?;
        Some((amount, precision(&whole, fraction)))
    };
    let Some(at) = last_mark else {
        let (amount, step) = whole_then(None)?;
        return Some((amount, None, step));
    };
    let mark = groups[at].separator;
    let other_marks = groups[..at]
        .iter()
        .any(|g| matches!(g.separator, Some(',' | '.')) && g.separator != mark);
    let same_marks = groups[..at].iter().filter(|g| g.separator == mark).count();
    let grouped_reading = groups.iter().skip(1).all(|g| g.digits.len() == 3);
    if other_marks || same_marks > 0 {
        // "1.234,5", "1,234.5": the last mark is the decimal one unless
        // the same mark repeats ("1.234.567").
        if same_marks > 0 && grouped_reading {
            let (amount, step) = whole_then(None)?;
            return Some((amount, None, step));
        }
        let (amount, step) = whole_then(Some(at))?;
        return Some((amount, None, step));
    }
    if groups[at].digits.len() != 3 {
        let (amount, step) = whole_then(Some(at))?;
        return Some((amount, None, step));
    }
    // One mark before three digits: "22.488", "22,488". The text's
    // convention decides which reading comes first; the other is kept, as
    // writers mix them ("50.000" in an English text).
    let decimal_first = matches!(
        (mark, convention),
        (Some(','), Convention::Eu) | (Some('.'), Convention::English)
    );
    let (grouped, grouped_step) = whole_then(None)?;
    // "30,000" or "50.000": nobody writes three zero decimals, so it is
    // thirty thousand in either convention.
    if groups[at].digits == "000" {
        return Some((grouped, None, grouped_step));
    }
    let (decimal, decimal_step) = whole_then(Some(at))?;
    // A text whose other numbers settle the convention keeps the other
    // reading only as thousands ("50.488" in an English text), never as
    // decimals ("Over 1,500 tonnes" is not 1.5 t where "1,234,567" is).
    if convention != Convention::Unknown && !decimal_first {
        return Some((grouped, None, grouped_step));
    }
    Some(if decimal_first {
        (decimal, Some(grouped), decimal_step)
    } else {
        (grouped, Some(decimal), grouped_step)
    })
}

/// The place of the last digit that is not a trailing zero: "4100" → 100,
/// "2.6" → 0.1, "22488" → 1.
fn precision(whole: &str, fraction: &str) -> Amount {
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        let places = fraction.len().min(6);
        return Amount::from_micros(10u128.pow(6 - places as u32)).unwrap_or(Amount::ZERO);
    }
    let zeros = whole.len() - whole.trim_end_matches('0').len();
    let zeros = if zeros == whole.len() { 0 } else { zeros };
    10u64
        .checked_pow(zeros as u32)
        .map_or(Amount::from_units(1), Amount::from_units)
}

const SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// A number in words: "ten", "twenty-five", "forty".
pub fn number_word(lower: &str) -> Option<u64> {
    if let Some(n) = SMALL.iter().position(|w| *w == lower) {
        return Some(n as u64);
    }
    if let Some(n) = TENS.iter().position(|w| *w == lower) {
        return Some(20 + 10 * n as u64);
    }
    let (tens, unit) = lower.split_once('-')?;
    let tens = TENS.iter().position(|w| *w == tens)?;
    let unit = SMALL[1..10].iter().position(|w| *w == unit)?;
    Some(20 + 10 * tens as u64 + unit as u64 + 1)
}

fn scale_word(lower: &str) -> Option<u64> {
    match lower {
        "thousand" => Some(1_000),
        "million" | "millions" => Some(1_000_000),
        "billion" | "billions" => Some(1_000_000_000),
        _ => None,
    }
}

pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(lower: &str) -> Option<time::Month> {
    // "12 Mar 2025", "Sept": a month's first three letters (four for
    // September) stand for it too.
    let n = MONTHS.iter().position(|m| {
        *m == lower || (m.starts_with(lower) && (lower.len() == 3 || lower == "sept"))
    })?;
    time::Month::try_from(n as u8 + 1).ok()
}

/// Qualifier words before a number, longest first, with the qualifier each
/// stands for.
const QUALIFIERS: [(&[&str], Qualifier); 22] = [
    (&["in", "excess", "of"], Qualifier::MoreThan),
    (&["upwards", "of"], Qualifier::MoreThan),
    (&["more", "than"], Qualifier::MoreThan),
    (&["just", "over"], Qualifier::MoreThan),
    (&["just", "under"], Qualifier::Almost),
    (&["up", "to"], Qualifier::UpTo),
    (&["at", "least"], Qualifier::AtLeast),
    (&["less", "than"], Qualifier::UpTo),
    (&["fewer", "than"], Qualifier::UpTo),
    (&["close", "to"], Qualifier::About),
    (&["almost"], Qualifier::Almost),
    (&["nearly"], Qualifier::Nearly),
    (&["over"], Qualifier::Over),
    (&["some"], Qualifier::Some),
    (&["around"], Qualifier::Around),
    (&["about"], Qualifier::About),
    (&["approximately"], Qualifier::About),
    (&["roughly"], Qualifier::About),
    (&["circa"], Qualifier::About),
    (&["approx"], Qualifier::About),
    (&["under"], Qualifier::UpTo),
    (&["exactly"], Qualifier::Exact),
];

impl Reading {
    pub fn word(&self, i: usize) -> Option<(&str, &str, &str)> {
        match self.tokens.get(i).map(|t| &t.kind) {
            Some(TokenKind::Word { text, lower, stem }) => Some((text, lower, stem)),
            _ => None,
        }
    }

    fn lower(&self, i: usize) -> Option<&str> {
        self.word(i).map(|(_, lower, _)| lower)
    }

    /// Whether token `i` names the action: "operation", "action", …
    fn action_noun(&self, i: usize) -> bool {
        self.word(i)
            .is_some_and(|(_, _, stem)| ACTION_NOUNS.contains(&stem))
    }

    fn span(&self, i: usize) -> Range<usize> {
        self.tokens.get(i).map_or(0..0, |t| t.span.clone())
    }

    fn number(&self, i: usize) -> Option<&[Group]> {
        match self.tokens.get(i).map(|t| &t.kind) {
            Some(TokenKind::Number(groups)) => Some(groups),
            _ => None,
        }
    }

    /// A plain integer token (no separators) and its value.
    fn plain(&self, i: usize) -> Option<u64> {
        let groups = self.number(i)?;
        match groups {
            [only] => only.digits.parse().ok(),
            _ => None,
        }
    }

    fn is_punct(&self, i: usize, chars: &[char]) -> bool {
        matches!(self.tokens.get(i).map(|t| &t.kind), Some(TokenKind::Punct(c)) if chars.contains(c))
    }

    /// The qualifier ending just before token `i`, and its first token.
    fn qualifier_before(&self, i: usize) -> (Qualifier, usize) {
        for (words, qualifier) in QUALIFIERS {
            let Some(first) = i.checked_sub(words.len()) else {
                continue;
            };
            let matches = words
                .iter()
                .enumerate()
                .all(|(k, w)| self.lower(first + k).is_some_and(|l| l == *w));
            if matches {
                return (qualifier, first);
            }
        }
        (Qualifier::Exact, i)
    }
}

/// Reads the statements from the tokens, in text order.
fn statements(reading: &mut Reading, convention: Convention) {
    let mut i = 0;
    // The last date read and the token after it: "28 June to 23 November".
    let mut last: Option<(usize, usize)> = None;
    while i < reading.tokens.len() {
        let dates = reading.dates.len();
        i = match date_at(reading, i) {
            Some(next) => {
                // "THE HAGUE, 23 May 2025 –" and "Date: 23 June 2025" date
                // the text, not the action.
                if is_dateline(reading, i, next) || is_labelled_date(reading, i) {
                    reading.dates.truncate(dates);
                } else {
                    let joined = last.filter(|&(_, after)| {
                        after + 1 == i
                            && (reading.is_punct(after, &['-', '–', '—'])
                                || matches!(
                                    reading.lower(after),
                                    Some("to" | "and" | "until" | "till")
                                ))
                    });
                    link_dates(reading, dates, joined.map(|(index, _)| index), i);
                    last = reading
                        .dates
                        .len()
                        .checked_sub(1)
                        .map(|index| (index, next));
                }
                next
            }
            None => match duration_at(reading, i) {
                Some(next) => next,
                None => quantity_at(reading, i, convention).unwrap_or(i + 1),
            },
        };
    }
}

/// Marks the dates read from `from` on (one call of `date_at`, at token
/// `at`): whether their sentence names the action, and which pairs make a
/// range, within the call ("13 and 18 November") or with the date just
/// before (`previous`, "28 June to 23 November").
fn link_dates(reading: &mut Reading, from: usize, previous: Option<usize>, at: usize) {
    let ends = |t: &Token| {
        matches!(
            t.kind,
            TokenKind::Break | TokenKind::Punct('.' | '!' | '?' | ';')
        )
    };
    let start = (0..at)
        .rev()
        .find(|&k| reading.tokens.get(k).is_some_and(ends))
        .map_or(0, |k| k + 1);
    let end = (at..reading.tokens.len())
        .find(|&k| reading.tokens.get(k).is_some_and(ends))
        .unwrap_or(reading.tokens.len());
    let anchored = (start..end).any(|k| reading.action_noun(k));
    let count = reading.dates.len();
    for date in reading.dates.get_mut(from..).into_iter().flatten() {
        date.anchored = anchored;
    }
    let pair = match (previous, count - from) {
        (_, 2) => Some((from, from + 1)),
        (Some(previous), 1) => Some((previous, from)),
        _ => None,
    };
    if let Some((a, b)) = pair {
        if let Some(first) = reading.dates.get_mut(a) {
            first.range = Some(b);
            first.anchored |= anchored;
        }
        if let Some(second) = reading.dates.get_mut(b) {
            second.range = Some(a);
        }
    }
}

/// Whether the date at token `first` follows a "Date:" label (bold or not).
fn is_labelled_date(reading: &Reading, first: usize) -> bool {
    // Back over Markdown emphasis, the colon, emphasis again, to the word.
    let unemphasised = |mut k: usize| {
        while k > 0 && reading.is_punct(k - 1, &['*', '_']) {
            k -= 1;
        }
        k
    };
    let colon = unemphasised(first);
    colon > 0
        && reading.is_punct(colon - 1, &[':'])
        && unemphasised(colon - 1)
            .checked_sub(1)
            .and_then(|k| reading.lower(k))
            .is_some_and(|w| matches!(w, "date" | "dated"))
}

/// Whether the date from token `first` to `next` opens a paragraph after a
/// place ("THE HAGUE, 23 May 2025 – …", "Lyon, 12 June:"): a dateline.
fn is_dateline(reading: &Reading, first: usize, next: usize) -> bool {
    let Some(comma) = first.checked_sub(1) else {
        return false;
    };
    if !reading.is_punct(comma, &[',']) {
        return false;
    }
    // The place: one to four capitalised words from the paragraph's start,
    // commas between them ("Lyon, France, 6 December 2011 —").
    let start = (0..comma)
        .rev()
        .find(|&k| {
            matches!(
                reading.tokens.get(k).map(|t| &t.kind),
                Some(TokenKind::Break)
            )
        })
        .map_or(0, |k| k + 1);
    let place = start..comma;
    let capitalised = |k: usize| {
        reading
            .word(k)
            .is_some_and(|(text, _, _)| text.chars().next().is_some_and(char::is_uppercase))
    };
    // Commas, and Markdown emphasis: "**Utrecht, 19 June 2015** –".
    let marks = |k: usize| reading.is_punct(k, &[',', '*', '_']);
    let words = place.clone().filter(|&k| !marks(k)).count();
    let place_ok = (1..=4).contains(&words) && place.clone().all(|k| capitalised(k) || marks(k));
    let mut next = next;
    while reading.is_punct(next, &['*', '_']) {
        next += 1;
    }
    let ends = match reading.tokens.get(next).map(|t| &t.kind) {
        None | Some(TokenKind::Break) => true,
        Some(TokenKind::Punct(c)) => matches!(c, '–' | '—' | '-' | ':'),
        _ => false,
    };
    place_ok && ends
}

/// "13 November 2023", "13 and 18 November 2023", "13–18 November",
/// "November 2023", "November 13, 2023", "2023-11-16", "in March".
fn date_at(reading: &mut Reading, i: usize) -> Option<usize> {
    // ISO: 2023-11-16.
    if let (Some(year), Some(m), Some(d)) = (
        reading.plain(i).filter(|y| (1900..=2100).contains(y)),
        reading.plain(i + 2),
        reading.plain(i + 4),
    ) && reading.is_punct(i + 1, &['-'])
        && reading.is_punct(i + 3, &['-'])
        && let Ok(month) = time::Month::try_from(m as u8)
        && (1..=31).contains(&d)
        && m <= 12
    {
        reading.dates.push(Dated {
            span: reading.span(i).start..reading.span(i + 4).end,
            day: Some(d as u8),
            month,
            year: i32::try_from(year).ok(),
            anchored: false,
            range: None,
        });
        return Some(i + 5);
    }
    // Days before a month: "13 November", "13 and 18 November", "13–18 November".
    if let Some(day) = reading.plain(i).filter(|d| (1..=31).contains(d)) {
        let mut days = vec![(day, reading.span(i))];
        let mut k = i + 1;
        let joined = reading.lower(k).is_some_and(|w| w == "and" || w == "to")
            || reading.is_punct(k, &['-', '–', '—']);
        if joined && let Some(second) = reading.plain(k + 1).filter(|d| (1..=31).contains(d)) {
            days.push((second, reading.span(k + 1)));
            k += 2;
        }
        let month = reading.lower(k).and_then(month)?;
        let month_end = reading.span(k).end;
        let (year, end_token, end) = year_after(reading, k + 1).unwrap_or((None, k + 1, month_end));
        for (day, span) in days {
            reading.dates.push(Dated {
                span: span.start..end,
                day: Some(day as u8),
                month,
                year,
                anchored: false,
                range: None,
            });
        }
        return Some(end_token);
    }
    let (text, lower, _) = reading.word(i)?;
    let month = month(lower)?;
    let capitalised = text.chars().next().is_some_and(char::is_uppercase);
    if !capitalised {
        return None;
    }
    // "November 13, 2023"
    if let Some(day) = reading.plain(i + 1).filter(|d| (1..=31).contains(d)) {
        let (year, end_token, end) =
            year_after(reading, i + 2).unwrap_or((None, i + 2, reading.span(i + 1).end));
        reading.dates.push(Dated {
            span: reading.span(i).start..end,
            day: Some(day as u8),
            month,
            year,
            anchored: false,
            range: None,
        });
        return Some(end_token);
    }
    if let Some((year, end_token, end)) = year_after(reading, i + 1) {
        reading.dates.push(Dated {
            span: reading.span(i).start..end,
            day: None,
            month,
            year,
            anchored: false,
            range: None,
        });
        return Some(end_token);
    }
    // A month alone, after a word that makes it one ("in March"): "May"
    // is too often a verb to read otherwise.
    let before = i.checked_sub(1).and_then(|k| reading.lower(k));
    let introduced = before.is_some_and(|w| {
        matches!(
            w,
            "in" | "since"
                | "until"
                | "till"
                | "during"
                | "of"
                | "from"
                | "by"
                | "early"
                | "late"
                | "mid"
                | "end"
                | "throughout"
        )
    });
    if introduced {
        reading.dates.push(Dated {
            span: reading.span(i),
            day: None,
            month,
            year: None,
            anchored: false,
            range: None,
        });
        return Some(i + 1);
    }
    None
}

/// A year after a date ("2023", ", 2023"): the year, the next token, the end.
fn year_after(reading: &Reading, k: usize) -> Option<(Option<i32>, usize, usize)> {
    let k = if reading.is_punct(k, &[',']) {
        k + 1
    } else {
        k
    };
    let year = reading.plain(k).filter(|y| (1900..=2100).contains(y))?;
    Some((i32::try_from(year).ok(), k + 1, reading.span(k).end))
}

/// "a week of", "12 days", "five months", "one-day action", "4-day".
fn duration_at(reading: &mut Reading, i: usize) -> Option<usize> {
    let (qualifier, first) = reading.qualifier_before(i);
    // Compound adjective: "one-day", "four-year": a duration only before
    // an action; otherwise a number the text states ("four-year cycles").
    // "week-long", "month-long": one of the unit.
    let compound = reading.word(i).and_then(|(_, lower, _)| {
        let (count, unit) = lower.split_once('-')?;
        match (number_word(count), TimeUnit::parse(unit)) {
            (Some(count), Some(unit)) => Some((count, unit)),
            _ if unit == "long" => Some((1, TimeUnit::parse(count)?)),
            _ => None,
        }
    });
    if let Some((count, unit)) = compound {
        // Before the action, a word or two between: "a week-long global
        // operation", "a five-day joint action".
        if (i + 1..=i + 3).any(|k| reading.action_noun(k)) {
            reading.durations.push(Lasting {
                span: reading.span(first).start..reading.span(i).end,
                count,
                unit,
                qualifier,
                anchored: true,
            });
            return Some(i + 1);
        }
        return None;
    }
    // A number joined to a word: "4-day action" is the period; "4-year
    // plan", "2 000-byte cap", "15-member team" are no figure either way.
    let joined = |a: usize, b: usize| reading.span(a).end == reading.span(b).start;
    if reading.number(i).is_some()
        && reading.is_punct(i + 1, &['-'])
        && reading.word(i + 2).is_some()
        && joined(i, i + 1)
        && joined(i + 1, i + 2)
    {
        let unit = reading.word(i + 2).and_then(|(_, _, s)| TimeUnit::parse(s));
        let next = reading.word(i + 3).map(|(_, _, stem)| stem.to_string());
        if let (Some(count), Some(unit)) = (reading.plain(i), unit)
            && next.is_some_and(|s| ACTION_NOUNS.contains(&s.as_str()))
        {
            reading.durations.push(Lasting {
                span: reading.span(first).start..reading.span(i + 2).end,
                count,
                unit,
                qualifier,
                anchored: true,
            });
        }
        return Some(i + 3);
    }
    let count = match reading.word(i) {
        Some((_, "a" | "an", _)) => {
            // "a week of …": only before "of" (or "-long"), so "within a
            // week" and "a day later" say nothing about the period.
            let unit = reading
                .word(i + 1)
                .and_then(|(_, _, s)| TimeUnit::parse(s))?;
            if reading.lower(i + 2) != Some("of") {
                return None;
            }
            reading.durations.push(Lasting {
                span: reading.span(first).start..reading.span(i + 1).end,
                count: 1,
                unit,
                qualifier,
                anchored: reading.action_noun(i + 3),
            });
            return Some(i + 2);
        }
        Some((_, lower, _)) => number_word(lower)?,
        None => reading.plain(i)?,
    };
    let (text, _, stem) = reading.word(i + 1)?;
    let unit = TimeUnit::parse(stem)?;
    // "30 Days at Sea" mid-sentence is a name; "seven days a week",
    // "24 hours a day" a rate: no length of the action either way.
    let name = text.chars().next().is_some_and(char::is_uppercase);
    let rate = matches!(reading.lower(i + 2), Some("a" | "per"))
        && reading
            .word(i + 3)
            .is_some_and(|(_, _, s)| TimeUnit::parse(s).is_some());
    // "within 30 days", "in the last 6 months", "eleven years after",
    // "two weeks later": a deadline or another time, not the action's length.
    let relative = first
        .checked_sub(1)
        .and_then(|k| reading.lower(k))
        .is_some_and(|w| matches!(w, "within" | "last" | "next" | "past" | "every" | "each"))
        || matches!(
            reading.lower(i + 2),
            Some("after" | "ago" | "later" | "before" | "earlier" | "since")
        );
    if name || rate || relative {
        return Some(i + 2);
    }
    // Of the action: "four days of action", or an action named just
    // before ("the operation ran for four days").
    let anchored = (reading.lower(i + 2) == Some("of") && reading.action_noun(i + 3))
        || (first.saturating_sub(5)..first)
            .rev()
            .take_while(|&k| !reading.tokens.get(k).is_some_and(|t| t.kind.is_boundary()))
            .any(|k| reading.action_noun(k));
    reading.durations.push(Lasting {
        span: reading.span(first).start..reading.span(i + 1).end,
        count,
        unit,
        qualifier,
        anchored,
    });
    Some(i + 2)
}

/// Words after which a number is a name or a reference, not a figure.
const REFERENCE_WORDS: [&str; 16] = [
    "article",
    "art",
    "section",
    "paragraph",
    "chapter",
    "no",
    "nr",
    "number",
    "line",
    "hotline",
    "helpline",
    "tel",
    "phone",
    "telephone",
    "call",
    "dial",
];

/// Stems of the nouns after a duration adjective that make it the period:
/// "one-day action", "five-day operation".
const ACTION_NOUNS: [&str; 7] = [
    "action",
    "operation",
    "campaign",
    "operational",
    "exercise",
    "joint",
    "event",
];

/// A quantity at token `i`: a number, a number word, or "a"/"an" before a
/// scale or unit word; with its qualifier, currency, scale and unit.
fn quantity_at(reading: &mut Reading, i: usize, convention: Convention) -> Option<usize> {
    // "Article 368", "hotline 116 000", "line 146": a number that names.
    let reference = |k: Option<usize>| {
        k.and_then(|k| reading.lower(k))
            .is_some_and(|w| REFERENCE_WORDS.contains(&w))
    };
    // "aged 34 and 61", "aged 19 to 56": ages, not figures.
    if i.checked_sub(1)
        .and_then(|k| reading.lower(k))
        .is_some_and(|w| matches!(w, "aged" | "age" | "ages"))
        && reading.number(i).is_some()
    {
        let joined = matches!(reading.lower(i + 1), Some("to" | "and"))
            || reading.is_punct(i + 1, &['-', '–']);
        return Some(if joined && reading.number(i + 2).is_some() {
            i + 3
        } else {
            i + 1
        });
    }
    // "Article 368", "No. 12".
    let abbreviated = i
        .checked_sub(1)
        .is_some_and(|k| reading.is_punct(k, &['.']));
    if reading.number(i).is_some()
        && (reference(i.checked_sub(1)) || (abbreviated && reference(i.checked_sub(2))))
    {
        return None;
    }
    let (mut amount, mut alternative, mut step, worded, weak, maybe_year) =
        match reading.tokens.get(i).map(|t| &t.kind) {
            Some(TokenKind::Number(groups)) => {
                let (amount, alternative, step) = value(groups, convention)?;
                let maybe_year = groups.len() == 1
                    && groups[0].digits.len() == 4
                    && (1900..=2100).contains(&amount.whole_units());
                (amount, alternative, step, false, false, maybe_year)
            }
            Some(TokenKind::Word { lower, .. }) => {
                if let Some(n) = number_word(lower) {
                    (
                        Amount::from_units(n),
                        None,
                        Amount::from_units(1),
                        true,
                        n == 1,
                        false,
                    )
                } else if lower == "a" || lower == "an" {
                    // "a tonne", "a million": one of what follows.
                    let next = reading
                        .word(i + 1)
                        .map(|(t, l, _)| (t.to_string(), l.to_string()));
                    let counts = next.is_some_and(|(t, l)| {
                        scale_word(&l).is_some()
                            || l == "hundred"
                            || Unit::parse(&t).is_some_and(|u| !u.is_countable() && t.len() > 2)
                    });
                    if !counts {
                        return None;
                    }
                    (
                        Amount::from_units(1),
                        None,
                        Amount::from_units(1),
                        true,
                        true,
                        false,
                    )
                } else {
                    return None;
                }
            }
            _ => return None,
        };
    let mut next = i + 1;
    // Currency before: "EUR 13.5 million", "€35.82 million".
    let mut unit = None;
    let mut first = i;
    if let Some(before) = i.checked_sub(1) {
        match reading.tokens.get(before).map(|t| &t.kind) {
            Some(TokenKind::Sign(currency)) => {
                unit = Some(Unit::Money(*currency));
                first = before;
            }
            Some(TokenKind::Word { text, .. }) if is_currency_code(text) => {
                unit = Unit::parse(text);
                first = before;
            }
            _ => {}
        }
    }
    let (qualifier, qualifier_first) = reading.qualifier_before(first);
    first = qualifier_first;
    // "hundred" after a number word or "a": "two hundred".
    // "two hundred", then "thousand", "million", "billion".
    let hundred = (reading.lower(next) == Some("hundred")).then_some(100);
    let mut factors = vec![];
    if let Some(f) = hundred {
        factors.push(f);
        next += 1;
    }
    if let Some(f) = reading.lower(next).and_then(scale_word) {
        factors.push(f);
        next += 1;
    }
    for factor in factors {
        amount = amount.checked_mul_ratio(u128::from(factor), 1)?;
        step = step.checked_mul_ratio(u128::from(factor), 1)?;
        alternative = alternative.and_then(|a| a.checked_mul_ratio(u128::from(factor), 1));
    }
    match reading.tokens.get(next).map(|t| &t.kind) {
        Some(TokenKind::Percent) => return Some(next + 1),
        Some(TokenKind::Word { lower, .. }) if lower == "percent" => return Some(next + 1),
        Some(TokenKind::Word { lower, .. })
            if lower == "per" && reading.lower(next + 1) == Some("cent") =>
        {
            return Some(next + 2);
        }
        _ => {}
    }
    // A unit after: "626 kg", "2.6 tonnes", "500 EUR", "35 €", "a tonne".
    if unit.is_none() {
        match reading.tokens.get(next).map(|t| &t.kind) {
            Some(TokenKind::Sign(currency)) => {
                unit = Some(Unit::Money(*currency));
                next += 1;
            }
            Some(TokenKind::Word { text, .. }) => {
                if let Some(u) = Unit::parse(text).filter(|u| !u.is_countable())
                    && (!matches!(u, Unit::Money(_)) || is_currency_word(text))
                {
                    unit = Some(u);
                    next += 1;
                }
            }
            _ => {}
        }
    }
    let span_end = reading.span(next - 1).end;
    reading.quantities.push(Stated {
        span: reading.span(first).start..span_end,
        qualifier,
        amount,
        alternative,
        step,
        unit,
        worded,
        weak,
        maybe_year: maybe_year && unit.is_none() && qualifier == Qualifier::Exact,
        first,
        next,
    });
    Some(next)
}

/// An upper-case ISO 4217 code written as a word ("EUR", "USD").
fn is_currency_code(text: &str) -> bool {
    text.len() == 3
        && text.bytes().all(|b| b.is_ascii_uppercase())
        && Currency::from_code(text).is_some()
}

/// A currency after a number: a code in capitals or the euro, dollar words.
fn is_currency_word(text: &str) -> bool {
    is_currency_code(text) || matches!(text, "euro" | "euros" | "dollars" | "dollar")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<String> {
        read(text, &[])
            .quantities
            .iter()
            .map(|q| {
                let unit = q.unit.map(|u| format!(" {u}")).unwrap_or_default();
                let qualifier = match q.qualifier.word() {
                    "" => String::new(),
                    w => format!("{w} "),
                };
                format!("{qualifier}{}{unit}", q.amount)
            })
            .collect()
    }

    #[test]
    fn numbers_read_in_every_convention() {
        assert_eq!(amounts("22 488 officers"), ["22488"]);
        assert_eq!(amounts("22\u{a0}488 officers"), ["22488"]);
        assert_eq!(amounts("22,488 officers"), ["22488"]);
        assert_eq!(amounts("1.234.567 checks"), ["1234567"]);
        assert_eq!(amounts("2,6 tonnes and 1.500 kg"), ["2.6 t", "1500 kg"]);
        assert_eq!(amounts("2.6 tonnes and 1,500 kg"), ["2.6 t", "1500 kg"]);
        assert_eq!(amounts("1 500.5 kg"), ["1500.5 kg"]);
        assert_eq!(amounts("67 million cigarettes"), ["67000000"]);
        assert_eq!(amounts("EUR 13.5 million"), ["13500000 EUR"]);
        assert_eq!(amounts("€35.82 million"), ["35820000 EUR"]);
        assert_eq!(amounts("Almost USD 130 million"), ["almost 130000000 USD"]);
        assert_eq!(amounts("Ten vehicles and twenty-five cars"), ["10", "25"]);
        assert_eq!(amounts("Almost a tonne of drugs"), ["almost 1 t"]);
        assert_eq!(amounts("more than 22 000 officers"), ["more than 22000"]);
        assert_eq!(amounts("626kg"), ["626 kg"]);
    }

    #[test]
    fn ambiguous_dots_keep_both_readings() {
        let reading = read("22.488 officers", &[]);
        let q = &reading.quantities[0];
        assert_eq!(q.amount, Amount::from_units(22488));
        assert_eq!(q.alternative, Amount::parse_decimal("22.488"));
    }

    #[test]
    fn identifiers_times_and_percentages_state_nothing() {
        for text in [
            "002.png",
            "SIENA_2090561-163-1_H1",
            "UNSCR 1244/1999",
            "IPA/2019",
            "at 14.25.40",
            "at 14:25",
            "38% of them",
            "the 11th edition",
            "COVID-19",
        ] {
            assert_eq!(amounts(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn dates_and_durations_are_their_own() {
        let reading = read(
            "Between 13 and 18 November 2023, a week of action; 12 days; concluded in March.",
            &[],
        );
        let days: Vec<Option<u8>> = reading.dates.iter().map(|d| d.day).collect();
        assert_eq!(days, [Some(13), Some(18), None]);
        assert_eq!(reading.dates[0].year, Some(2023));
        let durations: Vec<(u64, TimeUnit)> = reading
            .durations
            .iter()
            .map(|d| (d.count, d.unit))
            .collect();
        assert_eq!(durations, [(1, TimeUnit::Week), (12, TimeUnit::Day)]);
        assert!(reading.quantities.is_empty());
    }

    #[test]
    fn datelines_rates_names_lists_and_phones_state_nothing() {
        let reading = read(
            "THE HAGUE, 23 May 2025 – Police acted on 20 May.\n\n\
             1. Lines are open seven days a week: +31 70 302 5000.\n\
             2. See 30 Days at Sea and Article 368.",
            &[],
        );
        let days: Vec<Option<u8>> = reading.dates.iter().map(|d| d.day).collect();
        assert_eq!(days, [Some(20)]);
        assert!(reading.durations.is_empty(), "{:?}", reading.durations);
        assert!(reading.quantities.is_empty(), "{:?}", reading.quantities);
    }

    #[test]
    fn ranges_and_action_sentences_are_marked() {
        let reading = read(
            "The action ran from 28 July to 23 November. A year after May 2024.",
            &[],
        );
        let marks: Vec<(bool, Option<usize>)> = reading
            .dates
            .iter()
            .map(|d| (d.anchored, d.range))
            .collect();
        assert_eq!(marks, [(true, Some(1)), (true, Some(0)), (false, None)]);
        let lasting = read(
            "a week-long global operation; the cycle runs for four years",
            &[],
        );
        let anchored: Vec<(u64, TimeUnit, bool)> = lasting
            .durations
            .iter()
            .map(|d| (d.count, d.unit, d.anchored))
            .collect();
        assert_eq!(
            anchored,
            [(1, TimeUnit::Week, true), (4, TimeUnit::Year, false)]
        );
    }

    #[test]
    fn three_zero_decimals_are_thousands() {
        assert_eq!(
            read("30,000 bars and 50.000 checks", &[]).quantities[0].alternative,
            None
        );
        assert_eq!(amounts("30,000 bars and 50.000 checks"), ["30000", "50000"]);
    }

    #[test]
    fn stems_agree_across_forms() {
        assert_eq!(stem("trafficking"), stem("traffickers"));
        assert_eq!(stem("entities"), stem("entity"));
        assert_eq!(stem("carbine"), stem("carbines"));
        assert_eq!(stem("seized"), stem("seize"));
    }
}
