//! Map loaded resources (Terraform or ARM attribute names) onto the common model.

use super::Model;
use crate::load::Resource;

pub fn build(resources: &[Resource]) -> Model {
    Model {
        resource_count: resources.len(),
        ..Model::default()
    }
}
