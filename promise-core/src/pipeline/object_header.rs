//! The header of an object a step writes (`apiVersion`, `kind`, `metadata`), taken from its
//! serialization without building the rest: the names are checked before the object is
//! written, and a Deployment's whole spec as a JSON value would be built and freed for
//! nothing (a tenth of a container's instructions).

use serde::Serialize;
use serde::ser::{self, Serializer};
use serde_json::value::Serializer as Json;
use serde_json::{Map, Value};

/// The fields of an object's header.
const KEPT: [&str; 3] = ["apiVersion", "kind", "metadata"];

/// `value` as JSON, keeping of a map or struct only its header fields (`spec`, `data` and
/// the rest are never serialized); anything else (a list, a scalar) whole.
pub(crate) fn header_of(value: &impl Serialize) -> Result<Value, serde_json::Error> {
    value.serialize(Header)
}

type Error = serde_json::Error;

/// Serializes the top level, handing everything but maps and structs to serde_json.
struct Header;

/// A map or struct being serialized: the header fields so far, and whether the value
/// about to come belongs to one.
#[derive(Default)]
struct Fields {
    kept: Map<String, Value>,
    next: Option<String>,
}

impl ser::SerializeMap for Fields {
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        // A key that is not a string cannot be a header field; the YAML writer takes it as
        // it is.
        self.next = match key.serialize(Json) {
            Ok(Value::String(key)) if KEPT.contains(&key.as_str()) => Some(key),
            _ => None,
        };
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        if let Some(key) = self.next.take() {
            self.kept.insert(key, value.serialize(Json)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.kept))
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if KEPT.contains(&key) {
            self.kept.insert(key.to_string(), value.serialize(Json)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.kept))
    }
}

/// Hands one serializer method to serde_json's, unchanged.
macro_rules! whole {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<$ok, Error> {
            Json.$method($($arg),*)
        })*
    };
}

impl Serializer for Header {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = <Json as Serializer>::SerializeSeq;
    type SerializeTuple = <Json as Serializer>::SerializeTuple;
    type SerializeTupleStruct = <Json as Serializer>::SerializeTupleStruct;
    type SerializeTupleVariant = <Json as Serializer>::SerializeTupleVariant;
    type SerializeMap = Fields;
    type SerializeStruct = Fields;
    type SerializeStructVariant = <Json as Serializer>::SerializeStructVariant;

    fn serialize_map(self, _len: Option<usize>) -> Result<Fields, Error> {
        Ok(Fields::default())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Fields, Error> {
        Ok(Fields::default())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Json.serialize_newtype_variant(name, index, variant, value)
    }

    whole! {
        serialize_bool(v: bool) -> Value;
        serialize_i8(v: i8) -> Value;
        serialize_i16(v: i16) -> Value;
        serialize_i32(v: i32) -> Value;
        serialize_i64(v: i64) -> Value;
        serialize_i128(v: i128) -> Value;
        serialize_u8(v: u8) -> Value;
        serialize_u16(v: u16) -> Value;
        serialize_u32(v: u32) -> Value;
        serialize_u64(v: u64) -> Value;
        serialize_u128(v: u128) -> Value;
        serialize_f32(v: f32) -> Value;
        serialize_f64(v: f64) -> Value;
        serialize_char(v: char) -> Value;
        serialize_str(v: &str) -> Value;
        serialize_bytes(v: &[u8]) -> Value;
        serialize_none() -> Value;
        serialize_unit() -> Value;
        serialize_unit_struct(name: &'static str) -> Value;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> Value;
        serialize_seq(len: Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(len: usize) -> Self::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use serde_json::json;

    use super::header_of;

    #[test]
    fn the_header_is_what_serde_json_gives_without_the_rest() {
        let deployment = Deployment {
            metadata: ObjectMeta {
                name: Some("web".into()),
                labels: Some(BTreeMap::from([("app".into(), "web".into())])),
                ..ObjectMeta::default()
            },
            spec: Some(DeploymentSpec {
                replicas: Some(2),
                ..DeploymentSpec::default()
            }),
            ..Deployment::default()
        };
        let mut whole = serde_json::to_value(&deployment).expect("serializable");
        whole.as_object_mut().expect("an object").remove("spec");
        assert_eq!(header_of(&deployment).expect("serializable"), whole);

        let untyped = json!({"kind": "Namespace", "metadata": {"name": "a"}, "spec": {"x": 1}});
        assert_eq!(
            header_of(&untyped).expect("serializable"),
            json!({"kind": "Namespace", "metadata": {"name": "a"}})
        );
        // Not a map: kept whole; a wrapped map: its header.
        assert_eq!(header_of(&[1, 2]).expect("serializable"), json!([1, 2]));
        assert_eq!(header_of(&"x").expect("serializable"), json!("x"));
        assert_eq!(
            header_of(&Some(json!({"kind": "A", "data": 1}))).expect("serializable"),
            json!({"kind": "A"})
        );
        let numbered: BTreeMap<u8, u8> = BTreeMap::from([(1, 2)]);
        assert_eq!(header_of(&numbered).expect("serializable"), json!({}));
    }
}
