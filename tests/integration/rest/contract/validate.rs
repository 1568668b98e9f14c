//! A validator for the part of JSON Schema (2020-12) the OpenAPI document uses. A keyword it
//! does not know is an error, never skipped, so a document that grows a new constraint fails
//! the contract test until the validator learns it.

use std::collections::HashMap;
use std::sync::Mutex;

use regex::Regex;
use serde_json::{Map, Value};

use super::document::Document;
use super::formats::has_format;

/// Keywords that only annotate: nothing to check.
const ANNOTATIONS: [&str; 6] = [
    "description",
    "examples",
    "example",
    "title",
    "default",
    "discriminator",
];

/// Compiled `pattern`s, by source.
static PATTERNS: Mutex<Option<HashMap<String, Regex>>> = Mutex::new(None);

fn pattern_matches(pattern: &str, text: &str) -> Result<bool, String> {
    let mut cache = PATTERNS.lock().map_err(|_| "pattern cache poisoned".to_owned())?;
    let cache = cache.get_or_insert_with(HashMap::new);
    if !cache.contains_key(pattern) {
        let regex = Regex::new(pattern).map_err(|e| format!("pattern {pattern:?} does not compile: {e}"))?;
        cache.insert(pattern.to_owned(), regex);
    }
    Ok(cache[pattern].is_match(text))
}

impl Document {
    /// Checks `value` against `schema`; the error names where (`at`, a JSON pointer) and why.
    pub fn validate(&self, schema: &Value, value: &Value) -> Result<(), String> {
        self.check(schema, value, "")
    }

    fn check(&self, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
        let Some(schema) = schema.as_object() else {
            return match schema {
                Value::Bool(true) => Ok(()),
                _ => Err(format!("{at}: the schema allows nothing here")),
            };
        };
        for (keyword, argument) in schema {
            self.keyword(schema, keyword, argument, value, at)?;
        }
        Ok(())
    }

    fn keyword(
        &self,
        schema: &Map<String, Value>,
        keyword: &str,
        argument: &Value,
        value: &Value,
        at: &str,
    ) -> Result<(), String> {
        let fail = |why: String| Err(format!("{at}: {why} (value {value})"));
        match keyword {
            "$ref" => {
                let location = argument.as_str().ok_or("$ref is not text")?;
                self.check(self.follow(location), value, at)
            }
            "type" => {
                let types: Vec<&str> = match argument {
                    Value::Array(types) => types.iter().filter_map(Value::as_str).collect(),
                    other => other.as_str().into_iter().collect(),
                };
                if types.iter().any(|t| has_type(value, t)) {
                    Ok(())
                } else {
                    fail(format!("not of type {argument}"))
                }
            }
            "enum" => {
                let allowed = argument.as_array().ok_or("enum is not a list")?;
                if allowed.contains(value) {
                    Ok(())
                } else {
                    fail(format!("not one of {argument}"))
                }
            }
            "const" if argument == value => Ok(()),
            "const" => fail(format!("not {argument}")),
            "properties" | "required" | "additionalProperties" => match value.as_object() {
                None => Ok(()),
                Some(object) => self.object(schema, keyword, argument, object, at),
            },
            "items" => match value.as_array() {
                None => Ok(()),
                Some(items) => items
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, item)| self.check(argument, item, &format!("{at}/{i}"))),
            },
            "oneOf" => {
                let branches = argument.as_array().ok_or("oneOf is not a list")?;
                let matching = branches
                    .iter()
                    .filter(|branch| self.check(branch, value, at).is_ok())
                    .count();
                if matching == 1 {
                    Ok(())
                } else {
                    fail(format!("matches {matching} of the oneOf branches, not exactly one"))
                }
            }
            "anyOf" => {
                let branches = argument.as_array().ok_or("anyOf is not a list")?;
                if branches.iter().any(|branch| self.check(branch, value, at).is_ok()) {
                    Ok(())
                } else {
                    fail("matches none of the anyOf branches".to_owned())
                }
            }
            "allOf" => {
                let branches = argument.as_array().ok_or("allOf is not a list")?;
                branches.iter().try_for_each(|branch| self.check(branch, value, at))
            }
            "minLength" | "maxLength" | "pattern" | "format" => match value.as_str() {
                None if keyword == "format" => number_format(argument, value, at),
                None => Ok(()),
                Some(text) => string_keyword(keyword, argument, text).or_else(fail),
            },
            "minItems" | "maxItems" => match value.as_array() {
                None => Ok(()),
                Some(items) => {
                    let bound = argument.as_u64().ok_or("a count is not a whole number")?;
                    let count = items.len() as u64;
                    let ok = if keyword == "minItems" {
                        count >= bound
                    } else {
                        count <= bound
                    };
                    if ok {
                        Ok(())
                    } else {
                        fail(format!("breaks {keyword} {bound}"))
                    }
                }
            },
            "minimum" | "maximum" => match value.as_f64() {
                None => Ok(()),
                Some(n) => {
                    let bound = argument.as_f64().ok_or("a bound is not a number")?;
                    let ok = if keyword == "minimum" { n >= bound } else { n <= bound };
                    if ok {
                        Ok(())
                    } else {
                        fail(format!("breaks {keyword} {bound}"))
                    }
                }
            },
            k if ANNOTATIONS.contains(&k) => Ok(()),
            k => Err(format!("{at}: the validator does not know the keyword {k:?}")),
        }
    }

    fn object(
        &self,
        schema: &Map<String, Value>,
        keyword: &str,
        argument: &Value,
        object: &Map<String, Value>,
        at: &str,
    ) -> Result<(), String> {
        let properties = schema.get("properties").and_then(Value::as_object);
        match keyword {
            "properties" => properties.into_iter().flatten().try_for_each(|(name, property)| {
                object
                    .get(name)
                    .map_or(Ok(()), |v| self.check(property, v, &format!("{at}/{name}")))
            }),
            "required" => {
                let names = argument.as_array().ok_or("required is not a list")?;
                match names
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|n| !object.contains_key(*n))
                {
                    Some(missing) => Err(format!("{at}: the required member {missing:?} is missing")),
                    None => Ok(()),
                }
            }
            _ => {
                let extra = object
                    .iter()
                    .filter(|(name, _)| properties.is_none_or(|p| !p.contains_key(*name)));
                for (name, v) in extra {
                    match argument {
                        Value::Bool(false) => return Err(format!("{at}: the member {name:?} is not allowed")),
                        Value::Bool(true) => {}
                        schema => self.check(schema, v, &format!("{at}/{name}"))?,
                    }
                }
                Ok(())
            }
        }
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        _ => false,
    }
}

fn number_format(format: &Value, value: &Value, at: &str) -> Result<(), String> {
    let ok = match format.as_str() {
        Some("int64") => !value.is_number() || value.is_i64(),
        Some("int32") => !value.is_number() || value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Some("double" | "float") => true,
        _ => !value.is_number(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{at}: {value} is not of format {format}"))
    }
}

fn string_keyword(keyword: &str, argument: &Value, text: &str) -> Result<(), String> {
    let count = text.chars().count();
    let bound = || {
        argument
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or("a length is not a count")
    };
    match keyword {
        "minLength" if count < bound()? => Err(format!("shorter than {argument} characters")),
        "maxLength" if count > bound()? => Err(format!("longer than {argument} characters")),
        "pattern" => {
            let pattern = argument.as_str().ok_or("a pattern is not text")?;
            if pattern_matches(pattern, text)? {
                Ok(())
            } else {
                Err(format!("does not match the pattern {pattern}"))
            }
        }
        "format" => {
            let format = argument.as_str().ok_or("a format is not text")?;
            if has_format(format, text)? {
                Ok(())
            } else {
                Err(format!("is not of format {format}"))
            }
        }
        _ => Ok(()),
    }
}

mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn schemas_are_checked_keyword_by_keyword() {
        let doc = Document::new(json!({"components": {"schemas": {"Name": {"type": "string", "maxLength": 3}}}}));
        let schema = json!({
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"$ref": "#/components/schemas/Name"}, "n": {"type": ["integer", "null"]}},
            "additionalProperties": false
        });
        assert_eq!(doc.validate(&schema, &json!({"name": "abc", "n": null})), Ok(()));
        for bad in [
            json!({}),
            json!({"name": "abcd"}),
            json!({"name": "a", "x": 1}),
            json!({"name": "a", "n": 1.5}),
        ] {
            assert!(doc.validate(&schema, &bad).is_err(), "{bad}");
        }
        assert!(
            doc.validate(&json!({"unevaluatedProperties": false}), &json!({}))
                .is_err()
        );
    }
}
