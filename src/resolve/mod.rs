//! Static evaluation: HCL expressions (Terraform) and ARM template expressions.

pub mod arm;
pub mod hcl;
pub mod unique_string;
