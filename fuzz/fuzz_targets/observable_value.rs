//! Observable normalisation. The input's first byte picks the type (modulo the number of
//! types); the rest, read as UTF-8 with invalid bytes replaced, is the value.
//!
//! Checked: `parse` never panics; an accepted value keeps its type; normalisation is
//! idempotent (the canonical text parses again to itself); and the value survives a JSON
//! round trip, which goes through `parse` on the way in.

#![no_main]

use app::domain::{ObservableType, ObservableValue};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&index, rest)) = data.split_first() else {
        return;
    };
    let kind = ObservableType::ALL[usize::from(index) % ObservableType::ALL.len()];
    assert_eq!(ObservableType::parse(kind.as_str()), Ok(kind));
    let input = String::from_utf8_lossy(rest);

    let Ok(value) = ObservableValue::parse(kind, &input) else {
        return;
    };
    assert_eq!(value.kind(), kind);
    let canonical = value.as_str();
    assert!(!canonical.is_empty());
    assert_eq!(
        canonical,
        canonical.trim(),
        "{kind}: canonical form {canonical:?} is not trimmed"
    );
    match ObservableValue::parse(kind, canonical) {
        Ok(again) => assert_eq!(
            again.as_str(),
            canonical,
            "{kind}: {input:?} normalises to {canonical:?}, which normalises to {:?}",
            again.as_str()
        ),
        Err(err) => panic!("{kind}: {input:?} normalises to {canonical:?}, which is refused: {err}"),
    }

    let json = serde_json::to_string(&value).expect("an observable serializes");
    let back: ObservableValue = serde_json::from_str(&json).expect("a serialized observable reads back");
    assert_eq!(back, value);
});
