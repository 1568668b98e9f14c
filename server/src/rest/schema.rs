//! What the OpenAPI document says about values beyond their Rust types: the accepted `type`
//! names, the text rules of titles and descriptions, and the shape of an observable's value
//! per type. Each is built from the domain's own lists and rules, so the document cannot
//! drift from what the server accepts.

use std::ops::RangeInclusive;

use app::domain::{Description, EntityType, ObservableType, Title, forbidden_in_multi_line, forbidden_on_one_line};
use utoipa::Modify;
use utoipa::openapi::schema::{
    AdditionalProperties, Discriminator, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{OpenApi, Ref, RefOr, Required};

/// The name of the component schema for a new observable of type `kind`.
fn new_observable_name(kind: ObservableType) -> String {
    format!("NewObservable.{}", kind.as_str())
}

/// `"enum"` of every entity type's wire name.
pub fn entity_type() -> Schema {
    names(EntityType::ALL.iter().map(EntityType::as_str), "The entity's type.")
}

/// `"enum"` of every observable type's wire name.
pub fn observable_type() -> Schema {
    names(
        ObservableType::ALL.iter().map(ObservableType::as_str),
        "The observable's type.",
    )
}

fn names<'a>(names: impl Iterator<Item = &'a str>, description: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names))
        .description(Some(description))
        .build()
        .into()
}

/// A character class of everything outside `ranges`, as `\uXXXX` escapes (read alike by
/// ECMA-262 and Rust's `regex`); `extra` is added inside the brackets as written.
fn none_of(ranges: &[RangeInclusive<char>], extra: &str) -> String {
    let escape = |c: char| format!("\\u{:04X}", u32::from(c));
    let ranges: String = ranges
        .iter()
        .map(|r| {
            if r.start() == r.end() {
                escape(*r.start())
            } else {
                format!("{}-{}", escape(*r.start()), escape(*r.end()))
            }
        })
        .collect();
    format!("[^{ranges}{extra}]")
}

/// A title: at least one character that is not white space, none the domain forbids on
/// one line, at most `Title::MAX` characters.
pub fn title() -> Schema {
    let forbidden = forbidden_on_one_line();
    let allowed = none_of(&forbidden, "");
    let visible = none_of(&forbidden, "\\s");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(Title::MAX))
        .pattern(Some(format!("^{allowed}*{visible}{allowed}*$")))
        .description(Some(
            "One line of text, trimmed; no control, text-direction or invisible characters.",
        ))
        .examples(["APT29 spear-phishing wave"])
        .build()
        .into()
}

/// A description, or null: line breaks and tabs allowed, no other control character and no
/// text-direction control, at most `Description::MAX` characters. Blank is the same as none.
pub fn description() -> Schema {
    let allowed = none_of(&forbidden_in_multi_line(), "");
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .max_length(Some(Description::MAX))
        .pattern(Some(format!("^{allowed}*$")))
        .description(Some(
            "Free text, trimmed; line breaks and tabs are kept. Null, missing or blank: no description.",
        ))
        .build()
        .into()
}

/// The body of `POST /api/v1/observables`: one variant per type, told apart by `type`.
pub fn new_observable() -> Schema {
    let mut discriminator = Discriminator::new("type");
    let mut one_of = OneOfBuilder::new().description(Some(
        "An observable to create: its `type` and a `value` of that type (trimmed, then stored in \
         canonical form).",
    ));
    for kind in ObservableType::ALL {
        let location = format!("#/components/schemas/{}", new_observable_name(kind));
        discriminator.mapping.insert(kind.as_str().to_owned(), location.clone());
        one_of = one_of.item(Ref::new(location));
    }
    one_of.discriminator(Some(discriminator)).build().into()
}

/// The variant of a new observable of type `kind`.
fn new_observable_of(kind: ObservableType) -> Schema {
    let shape = kind.shape();
    let value = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(shape.format.map(|f| SchemaFormat::Custom(f.to_owned())))
        .pattern(shape.pattern.map(|p| format!("^(?:{p})$")))
        .min_length(Some(1))
        .max_length(shape.max_length)
        .examples([shape.example]);
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "type",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([kind.as_str()])),
        )
        .required("type")
        .property("value", value)
        .required("value")
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
        .build()
        .into()
}

/// Adds the schemas `new_observable` refers to, one per observable type.
pub struct ObservableVariants;

impl Modify for ObservableVariants {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for kind in ObservableType::ALL {
            components
                .schemas
                .insert(new_observable_name(kind), RefOr::T(new_observable_of(kind)));
        }
    }
}

/// An optional request body is one that may be left out (an empty body reads as every
/// member absent), never a JSON `null`, which is refused like any body that is not an object.
/// The annotations write such a body as `Option<T>`, which makes it optional but also makes
/// its schema allow `null`; this takes the `null` back out.
pub struct OptionalBodies;

impl Modify for OptionalBodies {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let Some(body) = operation.request_body.as_mut() else {
                    continue;
                };
                if matches!(body.required, Some(Required::True)) {
                    continue;
                }
                for content in body.content.values_mut() {
                    if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema
                        && let [first, second] = one_of.items.as_slice()
                    {
                        let other = match (is_null(first), is_null(second)) {
                            (true, false) => second.clone(),
                            (false, true) => first.clone(),
                            _ => continue,
                        };
                        content.schema = Some(other);
                    }
                }
            }
        }
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_classes_list_ranges_as_unicode_escapes() {
        assert_eq!(
            none_of(&['a'..='a', '\u{200B}'..='\u{200D}'], "\\s"),
            "[^\\u0061\\u200B-\\u200D\\s]"
        );
    }
}
