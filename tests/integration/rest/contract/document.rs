//! The served OpenAPI document read as data: its operations and the answers each documents.

use serde_json::Value;

/// The HTTP methods an OpenAPI path item may hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// An OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    root: Value,
}

/// One operation of the document: a method on a path.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Upper case, as sent: `POST`.
    pub method: String,
    /// As documented, with `{name}` for path parameters.
    pub path: String,
    /// The operation object.
    pub spec: Value,
}

impl Document {
    pub fn new(root: Value) -> Self {
        Self { root }
    }

    /// Follows a `$ref` within the document (`#/components/…`); any other schema is itself.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(location) => self.follow(location),
            None => schema,
        }
    }

    /// The schema a `$ref` of `location` (`#/components/…`) names, its own `$ref`s followed.
    pub fn follow(&self, location: &str) -> &Value {
        let pointer = location.strip_prefix('#').unwrap_or(location);
        let target = self
            .root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {location} points nowhere"));
        self.resolve(target)
    }

    /// Every operation, in the document's order of paths.
    pub fn operations(&self) -> Vec<Operation> {
        let paths = self.root["paths"].as_object().expect("paths");
        paths
            .iter()
            .flat_map(|(path, item)| {
                METHODS.iter().filter_map(move |method| {
                    item.get(*method).map(|spec| Operation {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        spec: spec.clone(),
                    })
                })
            })
            .collect()
    }
}

impl Operation {
    /// The documented answer for `status`, if there is one.
    pub fn response<'a>(&'a self, doc: &'a Document, status: u16) -> Option<&'a Value> {
        self.spec["responses"].get(status.to_string()).map(|r| doc.resolve(r))
    }

    /// The schema of the JSON request body, if the operation takes one.
    pub fn body_schema(&self) -> Option<&Value> {
        self.spec.pointer("/requestBody/content/application~1json/schema")
    }

    /// Whether the operation asks for a token: it has a security requirement naming a scheme
    /// (`[{}]` means none is needed).
    pub fn requires_token(&self) -> bool {
        self.spec["security"]
            .as_array()
            .is_some_and(|all| all.iter().any(|r| r.as_object().is_some_and(|s| !s.is_empty())))
    }

    /// Whether the operation documents an answer of `status`.
    pub fn documents(&self, status: u16) -> bool {
        self.spec["responses"].get(status.to_string()).is_some()
    }

    /// `POST /api/v1/entities`, for messages.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}
