use super::*;

#[test]
fn recognises_plans_by_content() {
    let plan = r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{}}"#;
    assert!(is_plan(plan));
    // Truncated: still a plan (its error is reported).
    assert!(is_plan(r#"{"format_version":"1.2","planned_values":{"root_mod"#));
    // A state file is not a plan.
    assert!(!is_plan(r#"{"format_version":"1.0","terraform_version":"1.9.0","values":{}}"#));
    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#;
    assert!(!is_plan(template));
    // A plan whose configuration embeds an ARM template is still a plan.
    let embedded = r#"{"format_version":"1.2","configuration":{"x":"$schema deploymentTemplate.json"}}"#;
    assert!(is_plan(embedded));
    assert!(!is_plan(r#"{"name": "package", "version": "1.0.0"}"#));
}
