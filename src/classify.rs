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
    /// `.bicep`, `.bicepparam`: Bicep source and its parameter files.
    Bicep,
}

/// The kind of the file at `path`; `None` for files acrlint has no use for.
pub fn classify(path: &Path) -> Option<FileKind> {
    // A name that is not valid UTF-8 is classified by its suffix like any other (as Terraform
    // does): the suffixes are ASCII, which the lossy conversion keeps.
    classify_name(&path.file_name()?.to_string_lossy())
}

/// Whether `name` ends with `suffix` in any ASCII case, without a lower-cased copy of every name
/// walked.
pub fn ends_any_case(name: &[u8], suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// The kind of a file of this name.
pub fn classify_name(name: &str) -> Option<FileKind> {
    let ends_any_case = |suffix: &str| ends_any_case(name.as_bytes(), suffix);
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

/// How a file of this name holds suppression comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comments {
    /// Terraform's native syntax: `#`, `//` and `/* */`.
    Hash,
    /// Bicep, and JSON where ARM allows comments: `//` and `/* */`.
    Slash,
    /// Terraform JSON (`.tf.json`, `.tfvars.json`): no comments, but comment properties
    /// (`"//": "..."`), which Terraform ignores.
    Property,
}

/// The comment syntax of the file at `path` (`None` for files acrlint does not read).
pub fn comments(path: &Path) -> Option<Comments> {
    let name = path.file_name()?.to_string_lossy();
    Some(match classify_name(&name)? {
        FileKind::Json | FileKind::Bicep => Comments::Slash,
        _ if name.ends_with(".json") => Comments::Property,
        _ => Comments::Hash,
    })
}

/// Whether a template says the Bicep compiler wrote it (`"metadata": {"_generator": {"name":
/// "bicep", ...}}`), judged from the text as the compiler lays it out.
pub fn bicep_generated(text: &str) -> bool {
    let Some(at) = text.find("\"_generator\"") else {
        return false;
    };
    let rest = &text[at..];
    let block = &rest[..rest.find('}').unwrap_or(rest.len())];
    block
        .split("\"name\"")
        .nth(1)
        .and_then(|v| v.trim_start().strip_prefix(':'))
        .is_some_and(|v| v.trim_start().starts_with("\"bicep\""))
}

/// Why a file named on the command line is not analysed, judged from its name; `None` for the
/// files acrlint reads (JSON files are judged by their content: [`json_not_analysed`]). Variable
/// files are read for their folder or with `--var-file`, so they are not reported here.
pub fn not_analysed(path: &Path) -> Option<String> {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return Some(NOT_A_TYPE.to_string());
    };
    let name: &str = &name;
    match classify_name(name) {
        Some(
            FileKind::Terraform
            | FileKind::DefaultVars
            | FileKind::Vars
            | FileKind::Json
            | FileKind::Bicep,
        ) => None,
        Some(FileKind::TerraformOverride) => Some(
            "not analysed: Terraform override files are not read yet (the module is judged \
             without what they override)"
                .to_string(),
        ),
        None => Some(if terraform_like(name) {
            format!(
                "not analysed: Terraform ignores `{name}`, because its file suffixes are \
                     case-sensitive (`.tf`, `.tf.json`, `.tfvars`); rename it so that Terraform \
                     and acrlint read it"
            )
        } else {
            NOT_A_TYPE.to_string()
        }),
    }
}

/// A name Terraform would read in another letter case (`MAIN.TF`).
fn terraform_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

/// Whether a file named on the command line that acrlint does not analyse may be data that a
/// configuration reads (`file("acr.yaml")`, `loadTextContent('script.sh')`): a name of none of
/// acrlint's kinds, nor one Terraform would read in another case.
pub fn may_be_data(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy());
    name.is_some_and(|n| classify_name(&n).is_none() && !terraform_like(&n))
}

const NOT_A_TYPE: &str = "not analysed: not a file type acrlint reads (Terraform `.tf`, \
    `.tf.json` and `.tfvars`; ARM templates and parameter files in `.json`; Bicep `.bicep` and \
    `.bicepparam`)";

/// Why a JSON file named on the command line is not analysed, from its text; `None` for ARM
/// templates and parameter files (read with their template).
pub fn json_not_analysed(text: &str) -> Option<String> {
    if crate::load::arm::is_template(text) || crate::load::arm::is_parameter_file(text) {
        return None;
    }
    // Plans are read (`load::plan::is_plan` tells them before templates): not reported here.
    Some(
        "not analysed: this JSON file is neither an ARM deployment template (its `$schema` \
         names deploymentTemplate.json), a parameter file nor a Terraform plan (the JSON that \
         `terraform show -json` prints)"
            .to_string(),
    )
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

    #[test]
    fn comment_syntax_by_file_name() {
        for (name, syntax) in [
            ("main.tf", Some(Comments::Hash)),
            ("prod.tfvars", Some(Comments::Hash)),
            ("main.tf.json", Some(Comments::Property)),
            ("terraform.tfvars.json", Some(Comments::Property)),
            ("azuredeploy.json", Some(Comments::Slash)),
            ("main.bicepparam", Some(Comments::Slash)),
            ("notes.txt", None),
        ] {
            assert_eq!(comments(Path::new(name)), syntax, "{name}");
        }
    }

    #[test]
    fn says_why_a_named_file_is_not_analysed() {
        for name in [
            "main.tf",
            "x.tf.json",
            "prod.tfvars",
            "azuredeploy.json",
            "main.bicep",
            "prod.bicepparam",
        ] {
            assert_eq!(not_analysed(Path::new(name)), None, "{name}");
        }
        let why = |name: &str| not_analysed(Path::new(name)).unwrap();
        assert!(why("override.tf").contains("override"));
        assert!(why("MAIN.TF").contains("Terraform ignores `MAIN.TF`"));
        assert!(why("notes.txt").contains("not a file type"));

        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}"#;
        let parameters = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"}"#;
        assert_eq!(json_not_analysed(template), None);
        assert_eq!(json_not_analysed(parameters), None);
        assert!(json_not_analysed(r#"{"name": "x"}"#)
            .unwrap()
            .contains("neither"));
    }
}
