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
