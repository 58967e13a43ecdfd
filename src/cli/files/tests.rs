use super::*;

fn shown(inputs: &[Input], root: &Path) -> Vec<String> {
    inputs
        .iter()
        .map(|i| {
            let path = i.path().expect("a file");
            path.strip_prefix(root)
                .expect("under root")
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn walk_order_is_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // `a/` sorts before `a-b.txt` and `a.txt` by path (component by component), though
    // `/` is after `-` and `.` in bytes.
    for name in ["a.txt", "a-b.txt", "a/z.txt", "a/b/c.md", "b.text", "B.txt"] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "text").unwrap();
    }
    for skipped in [".hidden.txt", "notes.pdf", "target/x.txt", ".git/y.txt"] {
        let path = root.join(skipped);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "text").unwrap();
    }
    let (inputs, errors) = expand(&[root.to_path_buf()]);
    assert!(errors.is_empty());
    let inputs: Vec<Input> = inputs.iter().collect();
    let mut by_path: Vec<PathBuf> = inputs.iter().map(|i| i.path().unwrap().into()).collect();
    by_path.sort();
    let sorted: Vec<&Path> = by_path.iter().map(PathBuf::as_path).collect();
    let walked: Vec<&Path> = inputs.iter().map(|i| i.path().unwrap()).collect();
    assert_eq!(walked, sorted);
    assert_eq!(
        shown(&inputs, root),
        ["B.txt", "a/b/c.md", "a/z.txt", "a-b.txt", "a.txt", "b.text"]
    );
    let Input::File { root: Some(r), .. } = &inputs[0] else {
        panic!("a walked file keeps its root");
    };
    assert_eq!(&**r, root);
}

#[test]
fn compact_list_gives_back_each_argument_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree/");
    for name in ["a.txt", "b/c.md", "d.txt"] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "text").unwrap();
    }
    let named = dir.path().join("named.pdf");
    std::fs::write(&named, "text").unwrap();
    let args = [named.clone(), PathBuf::from("-"), root.clone()];
    let (mut inputs, errors) = expand(&args);
    assert!(errors.is_empty());
    let dir_root: Arc<Path> = Arc::from(root.as_path());
    let file = |name: &str| Input::File {
        path: root.join(name),
        root: Some(Arc::clone(&dir_root)),
    };
    let named = Input::File {
        path: named,
        root: None,
    };
    assert_eq!(
        inputs.iter().collect::<Vec<_>>(),
        [
            named.clone(),
            Input::Stdin,
            file("a.txt"),
            file("b/c.md"),
            file("d.txt")
        ]
    );
    // The trailing `/` of the argument is kept as given.
    assert!(inputs.get(2).display().contains("tree/a.txt"));
    inputs.retain(|i| i.file_name() != Some("a.txt") && i != &Input::Stdin);
    assert_eq!(
        inputs.iter().collect::<Vec<_>>(),
        [named, file("b/c.md"), file("d.txt")]
    );
    assert_eq!(inputs.len(), 3);
}

#[test]
fn names_that_are_not_utf8_are_shown_apart() {
    let show = |bytes: &[u8]| {
        Input::File {
            path: PathBuf::from(OsString::from_vec(bytes.to_vec())),
            root: None,
        }
        .display()
    };
    assert_eq!(show(b"d/x\xff.txt"), "d/x\\xFF.txt");
    assert_eq!(show(b"d/x\xfe.txt"), "d/x\\xFE.txt");
    assert_eq!(show("d/caf\u{e9}.txt".as_bytes()), "d/caf\u{e9}.txt");
}

#[test]
fn sized_read_takes_what_is_there() {
    for (text, guess) in [("", 0), ("abc", 3), ("abc", 0), ("abcdef", 2), ("ab", 10)] {
        let mut bytes = Vec::new();
        let len = read_sized(text.as_bytes(), guess, &mut bytes).unwrap();
        assert_eq!(
            &bytes[..len],
            text.as_bytes(),
            "{text} with a guess of {guess}"
        );
        // A reused buffer, longer than the text and holding the last one's bytes.
        let mut reused = b"left over from a longer document".to_vec();
        let len = read_sized(text.as_bytes(), guess, &mut reused).unwrap();
        assert_eq!(&reused[..len], text.as_bytes(), "{text} reusing a buffer");
    }
}

#[test]
fn files_are_read_whole_and_oversized_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.txt");
    std::fs::write(&path, "UNCLASSIFIED\n1. Text.\n").unwrap();
    let input = Input::File {
        path: path.clone(),
        root: None,
    };
    assert_eq!(read(&input).unwrap(), b"UNCLASSIFIED\n1. Text.\n");
    let big = std::fs::File::create(&path).unwrap();
    big.set_len(crate::parse::input::MAX_INPUT_BYTES as u64 + 5)
        .unwrap();
    let e = read(&input).unwrap_err();
    assert!(e.message.contains("over the"), "{}", e.message);
    assert!(
        e.message
            .contains(&(crate::parse::input::MAX_INPUT_BYTES + 5).to_string())
    );
}
