//! The kinds of threat-intelligence entity and the free text a person writes about one.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ParseError, text};

/// The kind of a threat-intelligence entity. On the wire (forms, JSON, URLs) each kind is
/// its lower-case, hyphenated name from [`EntityType::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityType {
    /// A set of attacks attributed to one intent or actor (`campaign`).
    Campaign,
    /// A way to prevent or respond to a threat (`course-of-action`).
    CourseOfAction,
    /// A weakness that can be exploited (`exploit-target`).
    ExploitTarget,
    /// A security event that happened to someone (`incident`).
    Incident,
    /// A pattern that detects suspicious activity (`indicator`).
    Indicator,
    /// A published collection of findings (`report`).
    Report,
    /// An observation of an indicator or observable (`sighting`).
    Sighting,
    /// A person or group behind malicious activity (`threat-actor`).
    ThreatActor,
    /// Tactics, techniques and procedures (`ttp`).
    Ttp,
}

impl EntityType {
    /// Every entity type, in the order a list or drop-down shows them.
    pub const ALL: [EntityType; 9] = [
        Self::Campaign,
        Self::CourseOfAction,
        Self::ExploitTarget,
        Self::Incident,
        Self::Indicator,
        Self::Report,
        Self::Sighting,
        Self::ThreatActor,
        Self::Ttp,
    ];

    /// The wire name, such as `course-of-action`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Campaign => "campaign",
            Self::CourseOfAction => "course-of-action",
            Self::ExploitTarget => "exploit-target",
            Self::Incident => "incident",
            Self::Indicator => "indicator",
            Self::Report => "report",
            Self::Sighting => "sighting",
            Self::ThreatActor => "threat-actor",
            Self::Ttp => "ttp",
        }
    }

    /// Reads a wire name exactly as [`EntityType::as_str`] writes it (lower-case, hyphens).
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(Self::as_str).collect();
            ParseError::new(format!("Choose an entity type from the list: {}.", one_of(&names)))
        })
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `a, b or c`: the allowed values, for a message that lists them.
pub(super) fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// An entity's title: trimmed, 1–500 characters of any script on a single line, with no
/// control characters or bidirectional overrides.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Title(String);

text_type!(Title);

impl Title {
    /// The most characters (not bytes) a title may have.
    pub const MAX: usize = 500;

    /// Trims `input` and checks it is a one-line title of 1 to [`Title::MAX`] characters.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(ParseError::new("Enter a title."));
        }
        let count = value.chars().count();
        if count > Self::MAX {
            return Err(ParseError::new(format!(
                "A title has at most {} characters; this one has {count}.",
                Self::MAX
            )));
        }
        if let Some(bad) = text::forbidden_char(value) {
            if matches!(bad, '\n' | '\r') {
                return Err(ParseError::new(format!(
                    "A title must fit on one line; remove the line break ({}).",
                    text::describe(bad)
                )));
            }
            return Err(ParseError::new(format!(
                "A title cannot contain control, text-direction or invisible characters; remove {}.",
                text::describe(bad)
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

/// An entity's description: trimmed, 1–10,000 characters, possibly over several lines.
/// Line breaks (`\n`, `\r`) and tabs are kept as typed; any other control character and
/// the bidirectional overrides are refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

text_type!(Description);

impl Description {
    /// The most characters (not bytes) a description may have.
    pub const MAX: usize = 10_000;

    /// Trims `input` and checks it is a description of 1 to [`Description::MAX`]
    /// characters. Use [`Description::parse_optional`] where a description may be left out.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(ParseError::new("Enter a description."));
        }
        let count = value.chars().count();
        if count > Self::MAX {
            return Err(ParseError::new(format!(
                "A description has at most {} characters; this one has {count}.",
                Self::MAX
            )));
        }
        if let Some(bad) = text::forbidden_in_text(value) {
            return Err(ParseError::new(format!(
                "A description can contain line breaks and tabs but no other control or \
                 text-direction characters; remove {}.",
                text::describe(bad)
            )));
        }
        Ok(Self(value.to_owned()))
    }

    /// Like [`Description::parse`], but a missing or blank description is `Ok(None)`.
    pub fn parse_optional(input: Option<&str>) -> Result<Option<Self>, ParseError> {
        match input {
            Some(value) if !value.trim().is_empty() => Self::parse(value).map(Some),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_types_have_their_wire_names() {
        for (kind, wire) in [
            (EntityType::Campaign, "campaign"),
            (EntityType::CourseOfAction, "course-of-action"),
            (EntityType::ExploitTarget, "exploit-target"),
            (EntityType::Incident, "incident"),
            (EntityType::Indicator, "indicator"),
            (EntityType::Report, "report"),
            (EntityType::Sighting, "sighting"),
            (EntityType::ThreatActor, "threat-actor"),
            (EntityType::Ttp, "ttp"),
        ] {
            assert_eq!(kind.as_str(), wire);
            assert_eq!(kind.to_string(), wire);
            assert_eq!(EntityType::parse(wire), Ok(kind), "{wire:?}");
        }
    }

    #[test]
    fn entity_types_all_lists_each_kind_once() {
        for (i, kind) in EntityType::ALL.iter().enumerate() {
            assert_eq!(EntityType::ALL.iter().position(|k| k == kind), Some(i), "{kind:?}");
        }
    }

    #[test]
    fn entity_types_serialize_as_their_wire_names() {
        for kind in EntityType::ALL {
            let json = serde_json::to_string(&kind).expect("serialize");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<EntityType>(&json).ok(), Some(kind), "{json}");
        }
        assert!(serde_json::from_str::<EntityType>("\"ThreatActor\"").is_err());
        assert!(serde_json::from_str::<EntityType>("\"threat_actor\"").is_err());
    }

    #[test]
    fn unknown_entity_types_list_the_allowed_values() {
        for input in [
            "",
            "Campaign",
            "REPORT",
            " report",
            "report ",
            "threat_actor",
            "actor",
            "coa",
        ] {
            let err = EntityType::parse(input).expect_err(input);
            assert_eq!(
                err.0,
                "Choose an entity type from the list: campaign, course-of-action, exploit-target, \
                 incident, indicator, report, sighting, threat-actor or ttp.",
                "{input:?}"
            );
        }
    }

    #[test]
    fn one_of_joins_with_commas_and_or() {
        for (names, expected) in [
            (&[][..], ""),
            (&["a"][..], "a"),
            (&["a", "b"][..], "a or b"),
            (&["a", "b", "c"][..], "a, b or c"),
        ] {
            assert_eq!(one_of(names), expected);
        }
    }

    #[test]
    fn titles_are_trimmed_and_keep_any_script() {
        for (input, expected) in [
            ("APT29 spear-phishing wave", "APT29 spear-phishing wave"),
            ("  Emotet resurgence \n", "Emotet resurgence"),
            ("Opération « Ours » 🐻", "Opération « Ours » 🐻"),
            ("攻撃キャンペーン", "攻撃キャンペーン"),
            ("x", "x"),
            (&"t".repeat(500), &"t".repeat(500)),
            (&"é".repeat(500), &"é".repeat(500)),
        ] {
            assert_eq!(Title::parse(input).map(|t| t.0), Ok(expected.to_owned()), "{input:?}");
        }
    }

    #[test]
    fn invalid_titles_say_what_to_fix() {
        for (input, needle) in [
            ("", "Enter a title"),
            (" \t\n ", "Enter a title"),
            (&"t".repeat(501), "this one has 501"),
            (&"é".repeat(501), "this one has 501"),
            ("two\nlines", "one line; remove the line break (U+000A)"),
            ("two\r\nlines", "one line; remove the line break (U+000D)"),
            ("tab\there", "remove U+0009"),
            ("nul\u{0}", "remove U+0000"),
            ("del\u{7f}", "remove U+007F"),
            ("c1\u{85}next", "remove U+0085"),
            ("rtl\u{202E}fdp.exe", "remove U+202E"),
            ("isolate\u{2066}x", "remove U+2066"),
            ("para\u{2029}graph", "remove U+2029"),
        ] {
            let err = Title::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }

    #[test]
    fn titles_round_trip_through_serde_and_refuse_invalid_json() {
        let title = Title::parse(" Q3 report ").expect("valid");
        assert_eq!(title.as_str(), "Q3 report");
        assert_eq!(title.to_string(), "Q3 report");
        let json = serde_json::to_string(&title).expect("serialize");
        assert_eq!(json, "\"Q3 report\"");
        assert_eq!(serde_json::from_str::<Title>(&json).ok(), Some(title));
        assert!(serde_json::from_str::<Title>("\"\"").is_err());
        assert!(serde_json::from_str::<Title>("\"a\\nb\"").is_err());
    }

    #[test]
    fn descriptions_keep_line_breaks_and_tabs() {
        for (input, expected) in [
            ("Seen in phishing mail.", "Seen in phishing mail."),
            ("\n  Line one\nline two\n\n", "Line one\nline two"),
            ("Windows\r\nline\r\nbreaks", "Windows\r\nline\r\nbreaks"),
            ("col\tumns\t1", "col\tumns\t1"),
            ("Résumé: 攻撃 🦠", "Résumé: 攻撃 🦠"),
            ("x", "x"),
            (&"d".repeat(10_000), &"d".repeat(10_000)),
            (&"ß".repeat(10_000), &"ß".repeat(10_000)),
        ] {
            assert_eq!(
                Description::parse(input).map(|d| d.0),
                Ok(expected.to_owned()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn invalid_descriptions_say_what_to_fix() {
        for (input, needle) in [
            ("", "Enter a description"),
            ("\n\t \r\n", "Enter a description"),
            (&"d".repeat(10_001), "this one has 10001"),
            (&"ß".repeat(10_001), "this one has 10001"),
            ("nul\u{0}here", "remove U+0000"),
            ("bell\u{7}", "remove U+0007"),
            ("escape\u{1b}[31m", "remove U+001B"),
            ("vertical\u{b}tab", "remove U+000B"),
            ("form\u{c}feed", "remove U+000C"),
            ("next\u{85}line", "remove U+0085"),
            ("line one\nrtl\u{202E}txt", "remove U+202E"),
            ("mark\u{200F}", "remove U+200F"),
        ] {
            let err = Description::parse(input).expect_err(input);
            assert!(err.0.contains(needle), "{input:?}: {err}");
        }
    }

    #[test]
    fn optional_descriptions_treat_blank_as_none() {
        for (input, expected) in [
            (None, Ok(None)),
            (Some(""), Ok(None)),
            (Some("  \n\t "), Ok(None)),
            (Some(" text \n"), Ok(Some("text".to_owned()))),
            (Some("a\u{0}"), Err(())),
        ] {
            let got = Description::parse_optional(input)
                .map(|d| d.map(String::from))
                .map_err(|_| ());
            assert_eq!(got, expected, "{input:?}");
        }
    }

    #[test]
    fn descriptions_round_trip_through_serde_and_refuse_invalid_json() {
        let description = Description::parse("a\nb").expect("valid");
        assert_eq!(description.as_str(), "a\nb");
        assert_eq!(description.to_string(), "a\nb");
        let json = serde_json::to_string(&description).expect("serialize");
        assert_eq!(serde_json::from_str::<Description>(&json).ok(), Some(description));
        assert!(serde_json::from_str::<Description>("\"  \"").is_err());
        assert!(serde_json::from_str::<Description>("\"a\\u0000\"").is_err());
    }
}
