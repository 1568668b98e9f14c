//! Character rules shared by the free-text types.

/// Characters that must never appear in a name a person reads: control characters and the
/// bidirectional overrides that let a name display as something other than what it is.
pub(crate) fn forbidden_char(value: &str) -> Option<char> {
    value.chars().find(|c| {
        c.is_control() || matches!(*c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// Describes a forbidden character so the message says what to remove.
pub(crate) fn describe(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The rules every single-line name shares: trimmed, not empty (`empty` says what to type),
/// at most `max` characters, no control or text-direction characters. `noun` starts the
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
            "{noun} cannot contain control or text-direction characters; remove {}.",
            describe(bad)
        )));
    }
    Ok(value.to_owned())
}
