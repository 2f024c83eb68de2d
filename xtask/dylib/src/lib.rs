//! The xtask's commands, linked as a shared library into `xtask-catalog` (see its manifest
//! for why).

pub use xtask::main;
