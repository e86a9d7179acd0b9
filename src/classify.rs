//! What a file is, from its name: the one answer for discovery and every loader.
//!
//! Terraform's own suffixes are matched as Terraform matches them, case-sensitively: Terraform
//! ignores `MAIN.TF`, so acrlint does too (analysing it would judge a file that is never
//! deployed). Template and Bicep names are free-form, so their suffixes match in any case.

use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `.tf`, `.tf.json`: part of its folder's Terraform module.
    Terraform,
    /// `override.tf`, `*_override.tf` (and `.tf.json`): Terraform merges them into the blocks of
    /// the other files; acrlint does not read them yet.
    TerraformOverride,
    /// `terraform.tfvars`, `*.auto.tfvars` (and `.json`): Terraform reads them for their folder.
    DefaultVars,
    /// Any other `.tfvars` (and `.json`): read only when named by `--var-file` or `var-files`.
    Vars,
    /// `.json`: an ARM template, a parameter file or other JSON (its content decides).
    Json,
    /// `.bicep`, `.bicepparam` (not analysed yet).
    Bicep,
}

/// The kind of the file at `path`; `None` for files acrlint has no use for.
pub fn classify(path: &Path) -> Option<FileKind> {
    classify_name(path.file_name()?.to_str()?)
}

/// The kind of a file of this name.
pub fn classify_name(name: &str) -> Option<FileKind> {
    // Case-insensitive suffixes, without a lower-cased copy of every name walked.
    let ends_any_case = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    if let Some(stem) = name
        .strip_suffix(".tf")
        .or_else(|| name.strip_suffix(".tf.json"))
    {
        return Some(match stem == "override" || stem.ends_with("_override") {
            true => FileKind::TerraformOverride,
            false => FileKind::Terraform,
        });
    }
    if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        let default = name == "terraform.tfvars"
            || name == "terraform.tfvars.json"
            || name.ends_with(".auto.tfvars")
            || name.ends_with(".auto.tfvars.json");
        return Some(match default {
            true => FileKind::DefaultVars,
            false => FileKind::Vars,
        });
    }
    if ends_any_case(".json") {
        Some(FileKind::Json)
    } else if ends_any_case(".bicep") || ends_any_case(".bicepparam") {
        Some(FileKind::Bicep)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FileKind::*;

    #[test]
    fn classifies_by_name() {
        for (name, kind) in [
            ("a/main.tf", Some(Terraform)),
            ("main.tf.json", Some(Terraform)),
            ("override.tf", Some(TerraformOverride)),
            ("dns_override.tf.json", Some(TerraformOverride)),
            ("terraform.tfvars", Some(DefaultVars)),
            ("terraform.tfvars.json", Some(DefaultVars)),
            ("prod.auto.tfvars", Some(DefaultVars)),
            ("prod.auto.tfvars.json", Some(DefaultVars)),
            ("prod.tfvars", Some(Vars)),
            ("x.tfvars.json", Some(Vars)),
            ("azuredeploy.json", Some(Json)),
            ("Deploy.JSON", Some(Json)),
            ("main.bicep", Some(Bicep)),
            ("main.BicepParam", Some(Bicep)),
            // Terraform's suffixes are case-sensitive, as in Terraform.
            ("MAIN.TF", None),
            ("Terraform.tfvars", Some(Vars)),
            ("tf", None),
            ("README.md", None),
        ] {
            assert_eq!(classify(Path::new(name)), kind, "{name}");
        }
    }
}
