//! Models of small configurations through the real loaders, for unit tests.

use super::{build, Model};
use crate::load::{arm, terraform};
use crate::source::{SourceFile, SourceMap};

/// The model of one `main.tf`.
pub fn terraform_model(text: &str) -> Model<'static> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.tf");
    std::fs::write(&path, text).unwrap();
    let sources = SourceMap::default();
    let file = sources.add(SourceFile::new(path, "main.tf".into(), text.into()));
    let loaded = terraform::load_module(dir.path(), &[file], &sources, &Default::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    // The model borrows the resources; a test's few are leaked to keep the helper simple.
    build(loaded.resources.leak())
}

/// The model of a template with these `parameters` and `resources` (JSON texts).
pub fn arm_model(parameters: &str, resources: &str) -> Model<'static> {
    let text = format!(
        r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "parameters": {parameters}, "resources": {resources} }}"#
    );
    let sources = SourceMap::default();
    let file = sources.add(SourceFile::new(
        "t.json".into(),
        "t.json".into(),
        text.into(),
    ));
    let loaded = arm::load_template(file, &sources, &Default::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    build(loaded.resources.leak())
}
