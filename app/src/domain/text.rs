//! Character rules shared by the free-text types.
//!
//! A name a person reads must show exactly what it is: no control characters, no bidirectional
//! controls (which can make `gpj.exe` display as `exe.jpg`), and, on a single line, no line or
//! paragraph separators and no invisible characters (which make two different names look the
//! same). Multi-line text keeps line breaks, tabs and the joiners some scripts and emoji need.

use std::ops::RangeInclusive;

/// Control characters (general category Cc), exactly what `char::is_control` finds.
const CONTROLS: [RangeInclusive<char>; 2] = ['\u{0000}'..='\u{001F}', '\u{007F}'..='\u{009F}'];

/// Control characters a multi-line text may not hold: every one but tab, line feed and
/// carriage return.
const CONTROLS_BUT_BREAKS: [RangeInclusive<char>; 4] = [
    '\u{0000}'..='\u{0008}',
    '\u{000B}'..='\u{000C}',
    '\u{000E}'..='\u{001F}',
    '\u{007F}'..='\u{009F}',
];

/// Bidirectional controls: marks, embeddings, overrides and isolates.
const BIDI_CONTROLS: [RangeInclusive<char>; 4] = [
    '\u{061C}'..='\u{061C}',
    '\u{200E}'..='\u{200F}',
    '\u{202A}'..='\u{202E}',
    '\u{2066}'..='\u{2069}',
];

/// Characters that take no space: zero-width space, non-joiner and joiner, the word joiner
/// and invisible operators, the Mongolian vowel separator, and the byte-order mark.
const INVISIBLE: [RangeInclusive<char>; 4] = [
    '\u{180E}'..='\u{180E}',
    '\u{200B}'..='\u{200D}',
    '\u{2060}'..='\u{2064}',
    '\u{FEFF}'..='\u{FEFF}',
];

/// The line and paragraph separators.
const SEPARATORS: [RangeInclusive<char>; 1] = ['\u{2028}'..='\u{2029}'];

/// The characters a single-line value (a title, a name) must not contain: control
/// characters, bidirectional controls, line and paragraph separators and invisible ones.
/// The OpenAPI document builds its patterns from this list.
pub fn forbidden_on_one_line() -> Vec<RangeInclusive<char>> {
    [&CONTROLS[..], &BIDI_CONTROLS, &INVISIBLE, &SEPARATORS].concat()
}

/// The characters multi-line text (a description) must not contain: control characters
/// other than line breaks and tabs, and bidirectional controls.
pub fn forbidden_in_multi_line() -> Vec<RangeInclusive<char>> {
    [&CONTROLS_BUT_BREAKS[..], &BIDI_CONTROLS].concat()
}

fn in_any(ranges: &[RangeInclusive<char>], c: char) -> bool {
    ranges.iter().any(|r| r.contains(&c))
}

/// The first character a single-line value must not contain: a control character, a
/// bidirectional control, a line or paragraph separator (U+2028, U+2029) or an invisible one.
pub(crate) fn forbidden_char(value: &str) -> Option<char> {
    value
        .chars()
        .find(|&c| in_any(&CONTROLS, c) || in_any(&BIDI_CONTROLS, c) || in_any(&INVISIBLE, c) || in_any(&SEPARATORS, c))
}

/// The first character multi-line text must not contain: a control character other than a
/// line break or a tab, or a bidirectional control.
pub(crate) fn forbidden_in_text(value: &str) -> Option<char> {
    value
        .chars()
        .find(|&c| in_any(&CONTROLS_BUT_BREAKS, c) || in_any(&BIDI_CONTROLS, c))
}

/// Describes a forbidden character so the message says what to remove.
pub(crate) fn describe(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The rules every single-line name shares: trimmed, not empty (`empty` says what to type),
/// at most `max` characters, none of the characters `forbidden_char` finds. `noun` starts the
/// messages, as in "A display name".
pub(crate) fn single_line(input: &str, noun: &str, max: usize, empty: &str) -> Result<String, super::ParseError> {
    let value = input.trim();
    if value.is_empty() {
        return Err(super::ParseError::new(empty));
    }
    let count = value.chars().count();
    if count > max {
        return Err(super::ParseError::new(format!(
            "{noun} has at most {max} characters; this one has {count}."
        )));
    }
    if let Some(bad) = forbidden_char(value) {
        return Err(super::ParseError::new(format!(
            "{noun} cannot contain control, text-direction or invisible characters; remove {}.",
            describe(bad)
        )));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_lines_refuse_separators_bidi_controls_and_invisible_characters() {
        for c in [
            '\u{2028}', '\u{2029}', '\u{061C}', '\u{200E}', '\u{202E}', '\u{2067}', '\u{200B}', '\u{200C}', '\u{200D}',
            '\u{2060}', '\u{FEFF}', '\u{180E}', '\u{0007}', '\n',
        ] {
            let value = format!("a{c}b");
            assert_eq!(forbidden_char(&value), Some(c), "{}", describe(c));
            assert!(
                single_line(&value, "A name", 100, "Enter a name.")
                    .unwrap_err()
                    .0
                    .contains(&describe(c))
            );
        }
        assert_eq!(forbidden_char("Ünïcödé 名前 ✓"), None);
    }

    #[test]
    fn the_published_lists_are_exactly_what_the_checks_refuse() {
        let one_line = forbidden_on_one_line();
        let multi_line = forbidden_in_multi_line();
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(in_any(&one_line, c), forbidden_char(&text).is_some(), "{}", describe(c));
            assert_eq!(
                in_any(&multi_line, c),
                forbidden_in_text(&text).is_some(),
                "{}",
                describe(c)
            );
            if c.is_control() {
                assert!(in_any(&one_line, c), "{}", describe(c));
                assert_eq!(
                    in_any(&multi_line, c),
                    !matches!(c, '\n' | '\r' | '\t'),
                    "{}",
                    describe(c)
                );
            } else {
                assert!(!in_any(&CONTROLS, c), "{}", describe(c));
            }
        }
    }

    #[test]
    fn multi_line_text_keeps_breaks_tabs_and_joiners_but_not_bidi_controls() {
        assert_eq!(
            forbidden_in_text("line one\r\nline\ttwo\u{2028}\u{200D}👨\u{200D}👩"),
            None
        );
        assert_eq!(forbidden_in_text("ok\u{061C}"), Some('\u{061C}'));
        assert_eq!(forbidden_in_text("bell\u{0007}"), Some('\u{0007}'));
    }
}
