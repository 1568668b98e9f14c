//! Requests generated from the document alone: parameters and bodies its schemas accept
//! (values from `values`), and requests that break it in one named way.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

use super::document::{Document, Operation};
use super::values::valid;

/// A request to send: everything but the credentials.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path with its parameters filled in, and the query string.
    pub uri: String,
    pub content_type: Option<String>,
    pub body: Option<String>,
    /// The body as JSON, when it is JSON.
    pub json: Option<Value>,
}

/// One way a request breaks the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// The body sent as `text/plain`.
    ContentType,
    /// A body that is not JSON.
    MalformedJson,
    /// A required member left out.
    MissingRequired,
    /// A member with an `enum` given a value outside it.
    OutOfEnum,
    /// A member the schema does not allow.
    UnknownMember,
    /// A required string member given a number.
    WrongType,
    /// A parameter outside its bounds, or not of its type.
    BadParameter,
}

impl Invalid {
    /// Whether the body is still JSON that the schema refuses.
    pub fn breaks_the_body_schema(self) -> bool {
        matches!(
            self,
            Self::MissingRequired | Self::OutOfEnum | Self::UnknownMember | Self::WrongType
        )
    }
}

/// Requests to `operation` that its document accepts.
pub fn valid_request(doc: &Document, operation: &Operation) -> BoxedStrategy<Request> {
    let parameters: Vec<BoxedStrategy<Option<(String, String, Value)>>> = operation.spec["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| {
            let parameter = doc.resolve(parameter);
            let name = parameter["name"].as_str().expect("a parameter name").to_owned();
            let place = parameter["in"].as_str().expect("a parameter place").to_owned();
            let value = valid(doc, &parameter["schema"]);
            let keyed = value.prop_map(move |v| Some((place.clone(), name.clone(), v)));
            if parameter["required"] == true {
                keyed.boxed()
            } else {
                prop_oneof![Just(None), keyed].boxed()
            }
        })
        .collect();
    let body = match operation.body_schema() {
        Some(schema) => valid(doc, schema).prop_map(Some).boxed(),
        None => Just(None).boxed(),
    };
    let (method, path) = (operation.method.clone(), operation.path.clone());
    (parameters, body)
        .prop_map(move |(parameters, body)| {
            let mut uri = path.clone();
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (place, name, value) in parameters.into_iter().flatten() {
                let text = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                if place == "path" {
                    let encoded: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
                    uri = uri.replace(&format!("{{{name}}}"), &encoded);
                } else {
                    query.append_pair(&name, &text);
                }
            }
            let query = query.finish();
            if !query.is_empty() {
                uri = format!("{uri}?{query}");
            }
            Request {
                method: method.clone(),
                uri,
                content_type: body.as_ref().map(|_| "application/json".to_owned()),
                body: body.as_ref().map(Value::to_string),
                json: body,
            }
        })
        .boxed()
}

/// Requests to `operation` that break its document in one way each; none when nothing can
/// be broken (no body and no parameters).
pub fn invalid_request(doc: &Document, operation: &Operation) -> Option<BoxedStrategy<(Invalid, Request)>> {
    let mut ways = Vec::new();
    if operation.body_schema().is_some() {
        ways.extend([
            Invalid::ContentType,
            Invalid::MalformedJson,
            Invalid::MissingRequired,
            Invalid::OutOfEnum,
            Invalid::UnknownMember,
            Invalid::WrongType,
        ]);
    }
    let bounded: Vec<Value> = operation.spec["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| doc.resolve(p).clone())
        .filter(|p| p["schema"]["type"] == "integer")
        .collect();
    if !bounded.is_empty() {
        ways.push(Invalid::BadParameter);
    }
    if ways.is_empty() {
        return None;
    }
    let doc = doc.clone();
    let body_schema = operation.body_schema().cloned().unwrap_or(Value::Null);
    let template = operation.path.clone();
    let strategy = (
        valid_request(&doc, operation),
        select(ways),
        any::<prop::sample::Index>(),
    )
        .prop_map(move |(mut request, way, pick)| {
            let way = break_request(&doc, &body_schema, &template, &mut request, way, &bounded, pick);
            (way, request)
        });
    Some(strategy.boxed())
}

/// Breaks `request` the `way` asked, or, when that way does not apply to this body (no member
/// has an `enum`, say), in another; answers the way it was broken.
fn break_request(
    doc: &Document,
    body_schema: &Value,
    template: &str,
    request: &mut Request,
    way: Invalid,
    parameters: &[Value],
    pick: prop::sample::Index,
) -> Invalid {
    match way {
        Invalid::ContentType => {
            request.content_type = Some("text/plain".to_owned());
            way
        }
        Invalid::MalformedJson => {
            let body = request.body.take().unwrap_or_default();
            let cut = (0..=body.len() / 2)
                .rev()
                .find(|&i| body.is_char_boundary(i))
                .unwrap_or(0);
            request.body = Some(format!("{}{{", &body[..cut]));
            request.json = None;
            way
        }
        Invalid::BadParameter => {
            let parameter = pick.get(parameters);
            let name = parameter["name"].as_str().expect("a name");
            let schema = &parameter["schema"];
            let text = match (schema["maximum"].as_i64(), schema["minimum"].as_i64()) {
                (Some(max), _) if pick.index(2) == 0 => (max + 1).to_string(),
                (_, Some(min)) => (min - 1).to_string(),
                _ => "not-a-number".to_owned(),
            };
            let (path, _) = request.uri.split_once('?').unwrap_or((&request.uri, ""));
            request.uri = if parameter["in"] == "path" {
                let filled = template.replace(&format!("{{{name}}}"), &text);
                assert!(
                    !filled.contains('{'),
                    "extend the generator to paths of several parameters: {template}"
                );
                filled
            } else {
                format!("{path}?{name}={text}")
            };
            way
        }
        _ => {
            let mut body = request.json.take().expect("a JSON body");
            let schema = body_branch(doc, body_schema, &body);
            let way = break_body(&schema, &mut body, way, pick);
            request.body = Some(body.to_string());
            request.json = Some(body);
            way
        }
    }
}

/// The object schema the body was generated from: the one `oneOf` branch it fits.
fn body_branch(doc: &Document, schema: &Value, body: &Value) -> Value {
    let mut schema = doc.resolve(schema).clone();
    while let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        schema = branches
            .iter()
            .map(|b| doc.resolve(b))
            .find(|b| doc.validate(b, body).is_ok())
            .expect("the body fits a branch")
            .clone();
    }
    schema
}

fn break_body(schema: &Value, body: &mut Value, way: Invalid, pick: prop::sample::Index) -> Invalid {
    let Some(object) = body.as_object_mut() else {
        // A body that is not an object (a list, say) breaks most plainly as a number.
        *body = json!(5);
        return Invalid::WrongType;
    };
    let required: Vec<String> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    let with_enum: Vec<String> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.get("enum").is_some())
        .map(|(n, _)| n.clone())
        .collect();
    let closed = schema["additionalProperties"] == false;
    match way {
        Invalid::MissingRequired if !required.is_empty() => {
            object.remove(pick.get(&required));
            way
        }
        Invalid::OutOfEnum if !with_enum.is_empty() => {
            let name = pick.get(&with_enum);
            object.insert(name.clone(), json!(format!("not-a-{name}")));
            way
        }
        Invalid::WrongType if !required.is_empty() => {
            object.insert(pick.get(&required).clone(), json!(5));
            way
        }
        _ if closed => {
            let taken: Map<String, Value> = object.clone();
            let name = (0..)
                .map(|i| format!("extra{i}"))
                .find(|n| !taken.contains_key(n))
                .expect("a free name");
            object.insert(name, json!("x"));
            Invalid::UnknownMember
        }
        _ => {
            *body = json!(5);
            Invalid::WrongType
        }
    }
}
