//! Values a schema accepts, made from the document alone: strings from their `pattern`,
//! else their `format`, else their `examples`. Nothing here knows the API's rules beyond what
//! the document says.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

use super::document::Document;

/// Values `schema` accepts.
pub fn valid(doc: &Document, schema: &Value) -> BoxedStrategy<Value> {
    let schema = doc.resolve(schema);
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let branches: Vec<_> = branches.iter().map(|b| valid(doc, b)).collect();
        return proptest::strategy::Union::new(branches).boxed();
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        assert_eq!(parts.len(), 1, "allOf of several schemas: {schema}");
        return valid(doc, &parts[0]);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return select(values.clone()).boxed();
    }
    if let Some(value) = schema.get("const") {
        return Just(value.clone()).boxed();
    }
    match &schema["type"] {
        Value::Array(types) => {
            let each: Vec<_> = types
                .iter()
                .map(|t| {
                    let mut one = schema.clone();
                    one["type"] = t.clone();
                    valid(doc, &one)
                })
                .collect();
            proptest::strategy::Union::new(each).boxed()
        }
        Value::String(t) => match t.as_str() {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::from).boxed(),
            "integer" => integer(schema),
            "string" => string(schema),
            "object" => object(doc, schema),
            "array" => prop::collection::vec(valid(doc, &schema["items"]), 0..3)
                .prop_map(Value::from)
                .boxed(),
            other => panic!("no generator for type {other}"),
        },
        _ => panic!("no generator for a schema without a type: {schema}"),
    }
}

/// Integers within the bounds, mostly small ones (ids of objects that exist).
fn integer(schema: &Value) -> BoxedStrategy<Value> {
    let min = schema["minimum"].as_i64().unwrap_or(i64::MIN);
    let max = schema["maximum"].as_i64().unwrap_or(i64::MAX);
    let small = min.max(0)..=max.min(min.max(0).saturating_add(15));
    prop_oneof![4 => small, 1 => min..=max].prop_map(Value::from).boxed()
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    let examples: Vec<Value> = schema["examples"].as_array().cloned().unwrap_or_default();
    let generated: Option<BoxedStrategy<String>> = if let Some(pattern) = schema["pattern"].as_str() {
        let body = pattern.strip_prefix('^').unwrap_or(pattern);
        let body = body.strip_suffix('$').unwrap_or(body);
        Some(
            proptest::string::string_regex(body)
                .expect("a pattern proptest can generate from")
                .boxed(),
        )
    } else if let Some(format) = schema["format"].as_str() {
        format_values(format)
    } else {
        let min = schema["minLength"].as_u64().unwrap_or(0);
        let max = schema["maxLength"].as_u64().unwrap_or(40).min(min + 40);
        Some(
            proptest::string::string_regex(&format!("(?s:.{{{min},{max}}})"))
                .expect("a range")
                .boxed(),
        )
    };
    let Some(generated) = generated else {
        assert!(!examples.is_empty(), "no way to make a value of {schema}");
        return select(examples).boxed();
    };
    let leaf = schema.clone();
    let fits = generated
        .prop_map(Value::String)
        .prop_filter("fits the schema", move |v| {
            Document::new(Value::Null).validate(&leaf, v).is_ok()
        });
    if examples.is_empty() {
        fits.boxed()
    } else {
        prop_oneof![1 => select(examples), 4 => fits].boxed()
    }
}

/// Values of a `format`, for a string schema without a `pattern`.
fn format_values(format: &str) -> Option<BoxedStrategy<String>> {
    Some(match format {
        "ipv4" => any::<[u8; 4]>().prop_map(|o| Ipv4Addr::from(o).to_string()).boxed(),
        "ipv6" => any::<[u16; 8]>().prop_map(|g| Ipv6Addr::from(g).to_string()).boxed(),
        "date-time" => (0_i64..4_102_444_800)
            .prop_map(|s| {
                chrono::DateTime::from_timestamp(s, 0)
                    .expect("in range")
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
            .boxed(),
        _ => return None,
    })
}

fn object(doc: &Document, schema: &Value) -> BoxedStrategy<Value> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let members: Vec<BoxedStrategy<Option<(String, Value)>>> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            let is_required = required.contains(&name.as_str());
            let name = name.clone();
            let value = valid(doc, property).prop_map(move |v| Some((name.clone(), v)));
            if is_required {
                value.boxed()
            } else {
                prop_oneof![Just(None), value].boxed()
            }
        })
        .collect();
    members
        .prop_map(|members| Value::Object(members.into_iter().flatten().collect()))
        .boxed()
}
