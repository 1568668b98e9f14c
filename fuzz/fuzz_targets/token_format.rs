//! The token format check: prefix, length, alphabet and CRC32 checksum.
//!
//! Checked: `parse` never panics; whatever it accepts is 53 characters starting with `tsr_`
//! and reads back as itself; a freshly generated token always parses; and changing one
//! character of a valid token is always refused. For a generated token the input's first
//! byte picks the position and its last byte the new character; an input that is itself a
//! valid token gets that new character at every position.

#![no_main]

use app::backend::tokens::PlainToken;
use app::backend::tokens::plain::TOKEN_LEN;
use libfuzzer_sys::fuzz_target;

/// `token` with the character at `position % TOKEN_LEN` replaced by `replacement`, or `None`
/// when that would change nothing.
fn with_one_change(token: &str, position: usize, replacement: u8) -> Option<String> {
    let mut chars: Vec<char> = token.chars().collect();
    let slot = chars.get_mut(position % TOKEN_LEN)?;
    // Bytes 0x80..=0xFF become two-byte characters (U+0080..U+00FF), so the length changes too.
    let new = char::from(replacement);
    if *slot == new {
        return None;
    }
    *slot = new;
    Some(chars.into_iter().collect())
}

fn assert_refused(changed: &str, original: &str) {
    assert!(
        PlainToken::parse(changed).is_err(),
        "{changed:?}, one character away from the valid {original:?}, was accepted"
    );
}

fuzz_target!(|data: &[u8]| {
    let position = usize::from(data.first().copied().unwrap_or(0));
    let replacement = data.last().copied().unwrap_or(b'_');

    let generated = PlainToken::generate();
    let text = generated.expose();
    assert_eq!(
        PlainToken::parse(text).as_ref(),
        Ok(&generated),
        "a generated token was refused"
    );
    if let Some(changed) = with_one_change(text, position, replacement) {
        assert_refused(&changed, text);
    }

    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(token) = PlainToken::parse(input) else {
        return;
    };
    assert_eq!(token.expose(), input);
    assert_eq!(input.chars().count(), 53);
    assert_eq!(input.len(), 53);
    assert!(input.starts_with("tsr_"));
    assert!(input[4..].bytes().all(|b| b.is_ascii_alphanumeric()), "{input:?}");
    for position in 0..TOKEN_LEN {
        if let Some(changed) = with_one_change(input, position, replacement) {
            assert_refused(&changed, input);
        }
    }
});
