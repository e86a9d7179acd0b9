//! acrlint: a static analyzer for Azure Container Registry private networking in Terraform and
//! ARM/Bicep. The pipeline reads left to right, as the modules do:
//! discover → load → resolve → model → link → rules → suppress → render.

pub mod chain;
pub mod check;
pub mod classify;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod file_error;
pub mod fingerprint;
pub mod fix;
/// Entry points of the fuzz targets (`fuzz/`); not a stable interface.
#[doc(hidden)]
pub mod fuzzing;
pub mod limits;
pub mod link;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod server;
pub mod source;
pub mod suppress;
pub mod symbolic;
pub mod value;
