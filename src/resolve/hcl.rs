//! HCL expression evaluator. OWNER: Terraform helper.
