use super::*;

fn ok(text: &str) -> File {
    let p = parse(text);
    assert!(p.errors.is_empty(), "errors: {:?}", p.errors);
    p.file
}

#[test]
fn smoke() {
    let f = ok("param x string = 'a'\n");
    assert_eq!(f.items.len(), 1);
}
