//! Durations in Go's `time.Duration` syntax, the only syntax Kratix parses.

use std::{fmt, time::Duration};

use crate::Diagnostic;

/// A duration that serializes the way Go's `time.Duration.String()` prints it (`1h0m0s`,
/// `1m30s`, `500ms`), which `time.ParseDuration` reads back. Kratix's docs show `1d`, which Go
/// rejects; this type cannot express it.
///
/// ```
/// use promise_core::kratix::GoDuration;
/// use std::time::Duration;
///
/// assert_eq!(GoDuration::from_secs(3600).to_string(), "1h0m0s");
/// assert_eq!(GoDuration::from_secs(90).to_string(), "1m30s");
/// assert_eq!(GoDuration::from(Duration::from_millis(1500)).to_string(), "1.5s");
/// assert_eq!(GoDuration::from(Duration::from_millis(250)).to_string(), "250ms");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoDuration(Duration);

impl GoDuration {
    /// A whole number of seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Self(Duration::from_secs(secs))
    }

    /// The wrapped duration.
    pub const fn get(self) -> Duration {
        self.0
    }
}

impl From<Duration> for GoDuration {
    fn from(d: Duration) -> Self {
        Self(d)
    }
}

impl fmt::Display for GoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nanos = self.0.as_nanos();
        if nanos == 0 {
            return f.write_str("0s");
        }
        if nanos < 1_000 {
            return write!(f, "{nanos}ns");
        }
        if nanos < 1_000_000 {
            return write!(f, "{}µs", decimal(nanos, 1_000));
        }
        if nanos < 1_000_000_000 {
            return write!(f, "{}ms", decimal(nanos, 1_000_000));
        }
        let secs = self.0.as_secs();
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let frac = u128::from(self.0.subsec_nanos());
        let secs = decimal(u128::from(s) * 1_000_000_000 + frac, 1_000_000_000);
        if h > 0 {
            write!(f, "{h}h{m}m{secs}s")
        } else if m > 0 {
            write!(f, "{m}m{secs}s")
        } else {
            write!(f, "{secs}s")
        }
    }
}

/// `value / unit` with the fraction's trailing zeros dropped, as Go prints it.
fn decimal(value: u128, unit: u128) -> String {
    let (whole, frac) = (value / unit, value % unit);
    if frac == 0 {
        return whole.to_string();
    }
    let width = unit.ilog10() as usize;
    let frac = format!("{frac:0width$}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

impl serde::Serialize for GoDuration {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_str(self)
    }
}

/// Go's `time.ParseDuration`: decimal numbers, each with a unit (`ns`, `us`, `µs`, `ms`, `s`,
/// `m`, `h`), such as `1h30m` or `1.5s`; `0` alone. Negative durations, which Go reads, have
/// no `std::time::Duration`, and are refused.
///
/// ```
/// use promise_core::kratix::GoDuration;
///
/// assert_eq!("1h30m".parse::<GoDuration>().unwrap(), GoDuration::from_secs(5400));
/// assert_eq!("1.5s".parse::<GoDuration>().unwrap().to_string(), "1.5s");
/// let refused = "1d".parse::<GoDuration>().unwrap_err();
/// assert_eq!(refused.to_string(), r#""1d": is not a Go duration (such as 90s, 5m or 1h30m)"#);
/// ```
impl std::str::FromStr for GoDuration {
    type Err = Diagnostic;

    fn from_str(text: &str) -> Result<Self, Diagnostic> {
        let refuse = || Diagnostic::value(text, "is not a Go duration (such as 90s, 5m or 1h30m)");
        let mut rest = text.strip_prefix('+').unwrap_or(text);
        if rest == "0" {
            return Ok(Self(Duration::ZERO));
        }
        if rest.is_empty() || rest.starts_with('-') {
            return Err(refuse());
        }
        let mut nanos: f64 = 0.0;
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let number: f64 = rest[..digits].parse().map_err(|_| refuse())?;
            rest = &rest[digits..];
            let (unit, scale) = [
                ("ns", 1.0),
                ("us", 1e3),
                ("µs", 1e3),
                ("ms", 1e6),
                ("s", 1e9),
                ("m", 60e9),
                ("h", 3600e9),
            ]
            .into_iter()
            .filter(|(unit, _)| rest.starts_with(unit))
            .max_by_key(|(unit, _)| unit.len())
            .ok_or_else(refuse)?;
            rest = &rest[unit.len()..];
            nanos += number * scale;
        }
        Ok(Self(Duration::from_nanos(nanos.round() as u64)))
    }
}

impl<'de> serde::Deserialize<'de> for GoDuration {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let text = String::deserialize(de)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_spelling() {
        let cases = [
            (Duration::ZERO, "0s"),
            (Duration::from_nanos(5), "5ns"),
            (Duration::from_micros(2), "2µs"),
            (Duration::from_secs(60), "1m0s"),
            (Duration::from_secs(3661), "1h1m1s"),
            (Duration::from_secs(86_400), "24h0m0s"),
            (Duration::from_millis(60_500), "1m0.5s"),
        ];
        for (d, want) in cases {
            assert_eq!(GoDuration::from(d).to_string(), want);
        }
    }
}
