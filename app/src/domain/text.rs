//! Character rules shared by the free-text types.
//!
//! A name a person reads must show exactly what it is: no control characters, no bidirectional
//! controls (which can make `gpj.exe` display as `exe.jpg`), and, on a single line, no line or
//! paragraph separators and no invisible characters (which make two different names look the
//! same). Multi-line text keeps line breaks, tabs and the joiners some scripts and emoji need.

/// Bidirectional controls: marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space: zero-width space, non-joiner and joiner, the word joiner
/// and invisible operators, the Mongolian vowel separator, and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// The first character a single-line value must not contain: a control character, a
/// bidirectional control, a line or paragraph separator (U+2028, U+2029) or an invisible one.
pub(crate) fn forbidden_char(value: &str) -> Option<char> {
    value
        .chars()
        .find(|&c| c.is_control() || is_bidi_control(c) || is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// The first character multi-line text must not contain: a control character other than a
/// line break or a tab, or a bidirectional control.
pub(crate) fn forbidden_in_text(value: &str) -> Option<char> {
    value
        .chars()
        .find(|&c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c))
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
    fn multi_line_text_keeps_breaks_tabs_and_joiners_but_not_bidi_controls() {
        assert_eq!(
            forbidden_in_text("line one\r\nline\ttwo\u{2028}\u{200D}👨\u{200D}👩"),
            None
        );
        assert_eq!(forbidden_in_text("ok\u{061C}"), Some('\u{061C}'));
        assert_eq!(forbidden_in_text("bell\u{0007}"), Some('\u{0007}'));
    }
}
