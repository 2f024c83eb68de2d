//! CPU and memory amounts as numbers, written as canonical Kubernetes quantities, so sizes
//! are computed (`limits = 2 × requests`) instead of spliced together as strings.

use std::fmt;
use std::ops::Mul;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// CPU, in millicores.
///
/// ```
/// use promise_core::quantity::Cpu;
///
/// assert_eq!(Cpu::cores(4).to_string(), "4");
/// assert_eq!((Cpu::millis(250) * 2).to_string(), "500m");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cpu(u64);

impl Cpu {
    /// Whole cores.
    pub const fn cores(n: u64) -> Self {
        Self(n * 1000)
    }

    /// Millicores.
    pub const fn millis(n: u64) -> Self {
        Self(n)
    }

    /// The Kubernetes quantity.
    pub fn quantity(self) -> Quantity {
        Quantity(self.to_string())
    }
}

impl fmt::Display for Cpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(1000) {
            write!(f, "{}", self.0 / 1000)
        } else {
            write!(f, "{}m", self.0)
        }
    }
}

impl Mul<u64> for Cpu {
    type Output = Cpu;
    fn mul(self, factor: u64) -> Cpu {
        Cpu(self.0.saturating_mul(factor))
    }
}

/// Memory, in bytes, written with the largest binary suffix that divides it.
///
/// ```
/// use promise_core::quantity::Memory;
///
/// assert_eq!((Memory::gib(8) * 2).to_string(), "16Gi");
/// assert_eq!(Memory::mib(1536).to_string(), "1536Mi");
/// assert_eq!(Memory::mib(2048).to_string(), "2Gi");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Memory(u64);

impl Memory {
    /// Mebibytes.
    pub const fn mib(n: u64) -> Self {
        Self(n << 20)
    }

    /// Gibibytes.
    pub const fn gib(n: u64) -> Self {
        Self(n << 30)
    }

    /// The Kubernetes quantity.
    pub fn quantity(self) -> Quantity {
        Quantity(self.to_string())
    }
}

impl fmt::Display for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SUFFIXES: [(&str, u32); 5] =
            [("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)];
        for (suffix, shift) in SUFFIXES {
            let unit = 1u64 << shift;
            if self.0 >= unit && self.0.is_multiple_of(unit) {
                return write!(f, "{}{suffix}", self.0 / unit);
            }
        }
        write!(f, "{}", self.0)
    }
}

impl Mul<u64> for Memory {
    type Output = Memory;
    fn mul(self, factor: u64) -> Memory {
        Memory(self.0.saturating_mul(factor))
    }
}
