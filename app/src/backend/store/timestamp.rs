//! Instants as the store keeps them: whole milliseconds since the Unix epoch in a 64-bit
//! integer column, the same on SQLite and PostgreSQL. `Timestamp` encodes and decodes itself,
//! so a query binds `Timestamp(now)` and a record derives `FromRow` with
//! `#[sqlx(try_from = "Timestamp")]` on a `DateTime<Utc>` field (or `OptionalTimestamp` on an
//! `Option<DateTime<Utc>>` one).

use chrono::{DateTime, Utc};
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Encode, Type, ValueRef as _};

/// An instant in a `BIGINT` column, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

/// An instant in a nullable `BIGINT` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OptionalTimestamp(pub Option<DateTime<Utc>>);

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.0
    }
}

impl From<OptionalTimestamp> for Option<DateTime<Utc>> {
    fn from(t: OptionalTimestamp) -> Self {
        t.0
    }
}

fn from_millis(ms: i64) -> Result<DateTime<Utc>, BoxDynError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| format!("{ms} ms is out of range for a timestamp").into())
}

/// Both are stored as a 64-bit integer.
macro_rules! bigint_column {
    ($($name:ty),*) => {$(
        impl Type<Any> for $name {
            fn type_info() -> AnyTypeInfo {
                <i64 as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }
    )*};
}

bigint_column!(Timestamp, OptionalTimestamp);

impl<'q> Encode<'q, Any> for Timestamp {
    fn encode_by_ref(&self, buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Any>>::encode_by_ref(&self.0.timestamp_millis(), buf)
    }
}

impl<'r> Decode<'r, Any> for Timestamp {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self(from_millis(<i64 as Decode<'r, Any>>::decode(value)?)?))
    }
}

impl<'r> Decode<'r, Any> for OptionalTimestamp {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.is_null() {
            return Ok(Self(None));
        }
        Ok(Self(Some(Timestamp::decode(value)?.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_millis_are_refused_not_defaulted() {
        assert!(from_millis(i64::MAX).is_err());
        let t = from_millis(1_767_225_600_123).expect("in range");
        assert_eq!(t.timestamp_millis(), 1_767_225_600_123);
    }
}
