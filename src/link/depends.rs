//! The files a result depends on: where a finding (or an undetermined result) is, where its
//! related locations are, where the values it judged were written (a `.tfvars` file, a module
//! argument, a parameter file, a `locals` block in another file), and the resources of the chain
//! it reasoned over. A run on files passed one by one (a commit hook) reports a result when any of
//! these files is among them, so that a change that breaks the chain in another file is seen.
//!
//! Computed once per result, when a rule reports it, from the graph: no rule lists its own. The
//! files a Bicep file imports from are not in the model; the check adds them afterwards, for
//! every result that depends on the importing file (`check::add_imported_files`).

use crate::link::{Graph, Target};
use crate::model::{Meta, Model};
use crate::source::{FileId, Span};
use crate::value::{Node, Value};

/// One object of the model, by kind and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Object {
    Registry(usize),
    Endpoint(usize),
    Zone(usize),
    Link(usize),
    Vnet(usize),
    Subnet(usize),
    Record(usize),
}

/// The files a result about `resource`, located at `spans` (its primary and related locations),
/// depends on, sorted and without repeats:
///
/// - the files of `spans`, and where the values at them were written;
/// - the resources it names: `resource`, and each object whose header is one of `spans`;
/// - their neighbours in the chain: for a private endpoint, the registry it targets, its zone
///   groups and their zones, its subnet and VNet; for a zone, every VNet link of it; for a link,
///   its VNet. So a zone's finding about an endpoint (ACR006) depends on the whole chain
///   registry ◄ endpoint ► zone group ► zone ◄ links ► VNet ◄ subnet, and a registry's finding
///   that names an endpoint (ACR003) on the endpoint's own neighbours, not the zone's links;
/// - the files of those resources; for `resource`, every file its values were written in (the
///   rule judged them), for the others, where the values that place them in the chain were
///   written (names, the references between them: a link's VNet, an endpoint's subnet);
/// - the files of the module calls that create them: a caller decides what a module creates
///   and with which values, even where its value reaches the resource inside a list, or only
///   switches a resource of the chain off.
pub fn depends_on(model: &Model, graph: &Graph, resource: &Meta, spans: &[Span]) -> Vec<FileId> {
    let mut deps = Deps {
        model,
        graph,
        objects: Vec::new(),
        linked_zones: Vec::new(),
        files: Vec::new(),
    };
    for span in spans {
        deps.files.push(span.file);
        if let Some(origin) = model.origins.get(span) {
            deps.files.push(origin.file);
        }
    }
    deps.inputs(resource.header.file, resource.body);
    let named: Vec<Object> = objects(model)
        .filter(|(_, meta)| {
            std::ptr::eq(*meta, resource)
                || meta.addr == resource.addr
                || spans.contains(&meta.header)
        })
        .map(|(object, _)| object)
        .collect();
    for object in named {
        deps.add(object, true);
    }
    let mut files = deps.files;
    files.sort_unstable();
    files.dedup();
    files
}

struct Deps<'a, 'm> {
    model: &'a Model<'m>,
    graph: &'a Graph<'a>,
    /// The objects added, each once.
    objects: Vec<Object>,
    /// The zones whose links were added.
    linked_zones: Vec<usize>,
    files: Vec<FileId>,
}

impl Deps<'_, '_> {
    /// A resource's `file`, and the files its values (`body`) were written in as inputs.
    fn inputs(&mut self, file: FileId, body: &Node) {
        self.files.push(file);
        walk(self.model, file, body, &mut self.files);
    }

    /// The file of a value of a resource in `own`, spanned at `span`, and where it was written.
    fn written(&mut self, own: FileId, span: Span) {
        let origin = self.model.origins.get(&span).copied();
        for at in std::iter::once(span).chain(origin) {
            if at.file != own && !self.model.in_resource_block(at) {
                self.files.push(at.file);
            }
        }
    }

    /// The spans of the values that place `object` in the chain: its name and where it is, and
    /// its references to the other objects.
    fn chain_fields(&self, object: Object) -> Vec<Span> {
        let m = self.model;
        match object {
            Object::Registry(i) => {
                let r = &m.registries[i];
                vec![r.name.span(), r.location.span()]
            }
            Object::Endpoint(i) => {
                let e = &m.endpoints[i];
                let mut spans = vec![e.name.span(), e.location.span()];
                spans.extend(e.subnet.span());
                spans.push(e.connections.span());
                for c in e.connections.value().into_iter().flatten() {
                    spans.extend(c.target.span());
                    spans.push(c.subresources.span());
                }
                spans.push(e.zone_groups.span());
                for g in e.zone_groups.value().into_iter().flatten() {
                    spans.push(g.span);
                    spans.extend(g.zones.iter().filter_map(|z| z.span()));
                }
                spans
            }
            Object::Zone(i) => {
                let z = &m.zones[i];
                vec![z.name.span(), z.resource_group.span()]
            }
            Object::Link(i) => {
                let l = &m.vnet_links[i];
                let mut spans = vec![l.zone_rg.span()];
                spans.extend(l.zone.span());
                spans.extend(l.vnet.span());
                spans
            }
            Object::Vnet(i) => {
                let v = &m.vnets[i];
                vec![v.name.span(), v.resource_group.span(), v.dns_servers.span()]
            }
            Object::Subnet(i) => {
                let s = &m.subnets[i];
                let mut spans = vec![s.name.span()];
                spans.extend(s.vnet.span());
                spans
            }
            Object::Record(i) => {
                let a = &m.a_records[i];
                let mut spans = vec![a.name.span(), a.zone_rg.span()];
                spans.extend(a.zone.span());
                spans
            }
        }
    }

    /// Add `object`, its files and its neighbours in the chain; a zone's links only when the
    /// result names the zone.
    fn add(&mut self, object: Object, named: bool) {
        let (model, graph) = (self.model, self.graph);
        if !self.objects.contains(&object) {
            self.objects.push(object);
            let meta = match object {
                Object::Registry(i) => &model.registries[i].meta,
                Object::Endpoint(i) => &model.endpoints[i].meta,
                Object::Zone(i) => &model.zones[i].meta,
                Object::Link(i) => &model.vnet_links[i].meta,
                Object::Vnet(i) => &model.vnets[i].meta,
                Object::Subnet(i) => &model.subnets[i].meta,
                Object::Record(i) => &model.a_records[i].meta,
            };
            let own = meta.header.file;
            self.files.push(own);
            self.files.extend(meta.callers);
            for span in self.chain_fields(object) {
                self.written(own, span);
            }
            match object {
                Object::Endpoint(e) => {
                    let links = &graph.endpoints[e];
                    if let Some(r) = links.registry {
                        self.add(Object::Registry(r), false);
                    }
                    for zone in &links.zones {
                        if let Target::InScope(z) = zone.target {
                            self.add(Object::Zone(z), false);
                        }
                    }
                    if let Some(s) = links.subnet {
                        self.add(Object::Subnet(s), false);
                    }
                    if let Target::InScope(v) = links.vnet {
                        self.add(Object::Vnet(v), false);
                    }
                }
                Object::Link(l) => {
                    let vnet = (graph.zone_links.iter().flatten())
                        .map(|(i, t)| (*i, t))
                        .chain(graph.unknown_zone_links.iter().map(|(i, t, _, _)| (*i, t)))
                        .find_map(|(i, t)| match t {
                            Target::InScope(v) if i == l => Some(*v),
                            _ => None,
                        });
                    if let Some(v) = vnet {
                        self.add(Object::Vnet(v), false);
                    }
                }
                _ => {}
            }
        }
        if let (Object::Zone(z), true) = (object, named) {
            if !self.linked_zones.contains(&z) {
                self.linked_zones.push(z);
                for (l, _) in &graph.zone_links[z] {
                    self.add(Object::Link(*l), false);
                }
            }
        }
    }
}

/// Every object of the model with its identity.
fn objects<'a, 'm>(model: &'a Model<'m>) -> impl Iterator<Item = (Object, &'a Meta<'m>)> {
    let m = model;
    (m.registries.iter().enumerate())
        .map(|(i, x)| (Object::Registry(i), &x.meta))
        .chain((m.endpoints.iter().enumerate()).map(|(i, x)| (Object::Endpoint(i), &x.meta)))
        .chain((m.zones.iter().enumerate()).map(|(i, x)| (Object::Zone(i), &x.meta)))
        .chain((m.vnet_links.iter().enumerate()).map(|(i, x)| (Object::Link(i), &x.meta)))
        .chain((m.vnets.iter().enumerate()).map(|(i, x)| (Object::Vnet(i), &x.meta)))
        .chain((m.subnets.iter().enumerate()).map(|(i, x)| (Object::Subnet(i), &x.meta)))
        .chain((m.a_records.iter().enumerate()).map(|(i, x)| (Object::Record(i), &x.meta)))
}

/// The files the values of `node`, of a resource in `file`, were written in as inputs: a value
/// read from a `.tfvars` file, a variable's default, a `locals` block, a module argument or a
/// parameter file is spanned (or has its origin) there. A value read from another resource's
/// block is that resource's: it does not make the other resource part of the chain.
fn walk(model: &Model, file: FileId, node: &Node, files: &mut Vec<FileId>) {
    for span in [node.span, node.origin].into_iter().flatten() {
        if span.file != file && files.last() != Some(&span.file) && !model.in_resource_block(span) {
            files.push(span.file);
        }
    }
    match &node.value {
        Value::List(items) => items.iter().for_each(|n| walk(model, file, n, files)),
        Value::Object(members) => members
            .iter()
            .for_each(|(_, n)| walk(model, file, n, files)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::terraform;
    use crate::source::{SourceFile, SourceMap};

    /// A module of several files, loaded as the pipeline loads it: the paths of the files each
    /// result depends on.
    fn module(files: &[(&str, &str)]) -> (tempfile::TempDir, SourceMap, Vec<FileId>) {
        let dir = tempfile::tempdir().unwrap();
        let sources = SourceMap::default();
        let mut ids = Vec::new();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            if name.ends_with(".tf") {
                ids.push(sources.add(SourceFile::new(path, (*name).into(), (*text).into())));
            }
        }
        (dir, sources, ids)
    }

    const CHAIN: &[(&str, &str)] = &[
        (
            "registry.tf",
            r#"
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = azurerm_resource_group.other.name
  location                      = local.location
  sku                           = var.sku
  public_network_access_enabled = false
  admin_enabled                 = true
}
variable "sku" {
  default = "Premium"
}
"#,
        ),
        (
            "endpoint.tf",
            r#"
resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
"#,
        ),
        (
            "dns.tf",
            r#"
resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg"
}
"#,
        ),
        (
            "links.tf",
            r#"
resource "azurerm_private_dns_zone_virtual_network_link" "mgmt" {
  name                  = "link-mgmt"
  resource_group_name   = "rg"
  private_dns_zone_name = "privatelink.azurecr.io"
  virtual_network_id    = azurerm_virtual_network.mgmt.id
}
"#,
        ),
        (
            "network.tf",
            r#"
resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  resource_group_name = "rg"
}
resource "azurerm_virtual_network" "mgmt" {
  name                = "vnet-mgmt"
  resource_group_name = "rg"
}
resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = "rg"
  virtual_network_name = "vnet-app"
}
"#,
        ),
        // A resource the registry reads a value of: not part of the chain.
        (
            "group.tf",
            "resource \"azurerm_resource_group\" \"other\" {\n  name     = \"rg-other\"\n  location = \"westeurope\"\n}\n",
        ),
        ("locals.tf", "locals {\n  location = \"westeurope\"\n}\n"),
        ("prod.auto.tfvars", "sku = \"Standard\"\n"),
    ];

    /// Rule id and resource of each finding, with the names of the files it depends on.
    fn depends(files: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
        let (dir, sources, ids) = module(files);
        let loaded = terraform::load_module(dir.path(), &ids, &sources, &Default::default());
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let model = crate::model::build(&loaded.resources);
        let graph = crate::link::link(&model);
        let (findings, _) = crate::rules::run(&model, &graph, &|_| true, false);
        let name = |file: FileId| {
            let path = sources.get(file).path.clone();
            path.file_name().unwrap().to_string_lossy().into_owned()
        };
        let mut out: Vec<(String, Vec<String>)> = findings
            .iter()
            .map(|f| {
                let names = f.depends_on_files.iter().map(|&file| name(file));
                (format!("{} {}", f.rule, f.resource), names.collect())
            })
            .collect();
        for (_, names) in &mut out {
            names.sort();
        }
        out.sort();
        out
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_finding_depends_on_its_chain_and_where_its_values_were_written() {
        // The whole chain, and the variable file that sets the registry's SKU.
        let chain = strings(&[
            "dns.tf",
            "endpoint.tf",
            "links.tf",
            "locals.tf",
            "network.tf",
            "prod.auto.tfvars",
            "registry.tf",
        ]);
        let endpoint: Vec<String> = chain.iter().filter(|f| *f != "links.tf").cloned().collect();
        let dns: Vec<String> = (chain.iter())
            .filter(|f| *f != "prod.auto.tfvars")
            .cloned()
            .collect();
        // The registry alone: its file, and where its values were written (a local, a variable
        // file), not the resource group it reads a name from.
        let registry = strings(&["locals.tf", "prod.auto.tfvars", "registry.tf"]);
        assert_eq!(
            depends(CHAIN),
            [
                // It names the endpoint that targets the registry: the endpoint's neighbours
                // (its zone, subnet and VNet), not the zone's links.
                ("ACR003 azurerm_container_registry.acr", &endpoint),
                // The zone, its only link (to another VNet), the endpoint with its subnet and
                // VNet, and the registry it targets, placed by its name and location (a local),
                // not by its SKU.
                ("ACR006 azurerm_private_dns_zone.acr", &dns),
                ("ACR010 azurerm_container_registry.acr", &registry),
                ("ACR012 azurerm_container_registry.acr", &registry),
            ]
            .map(|(f, files)| (f.to_string(), files.clone()))
        );
    }

    #[test]
    fn a_registry_without_endpoint_depends_on_itself_only() {
        let files = [CHAIN[0], CHAIN[5], CHAIN[6]];
        let registry = strings(&["locals.tf", "registry.tf"]);
        assert_eq!(
            depends(&files),
            [
                ("ACR008 azurerm_container_registry.acr", &registry),
                ("ACR010 azurerm_container_registry.acr", &registry),
                ("ACR012 azurerm_container_registry.acr", &registry),
            ]
            .map(|(f, files)| (f.to_string(), files.clone()))
        );
    }

    #[test]
    fn a_link_whose_vnet_is_an_input_depends_on_where_it_is_set() {
        let mut files = CHAIN.to_vec();
        files[3] = (
            "links.tf",
            r#"
variable "link_vnet_id" {}
resource "azurerm_private_dns_zone_virtual_network_link" "mgmt" {
  name                  = "link-mgmt"
  resource_group_name   = "rg"
  private_dns_zone_name = "privatelink.azurecr.io"
  virtual_network_id    = var.link_vnet_id
}
"#,
        );
        files[7] = (
            "prod.auto.tfvars",
            "link_vnet_id = \"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-mgmt\"\n",
        );
        let found = depends(&files);
        let acr006 = found.iter().find(|(f, _)| f.starts_with("ACR006")).unwrap();
        assert!(
            acr006.1.contains(&"prod.auto.tfvars".to_string()),
            "{found:?}"
        );
        // The registry's findings do not reason over the link.
        let acr010 = found.iter().find(|(f, _)| f.starts_with("ACR010")).unwrap();
        assert_eq!(acr010.1, strings(&["locals.tf", "registry.tf"]));
    }
}
