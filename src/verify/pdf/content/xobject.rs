//! `Do`: what the interpreter does with an XObject a content stream draws. An image is
//! recorded with the box it covers; a Form XObject (also an annotation's appearance) is
//! run with its own matrix and resources, to a depth limit and never inside itself.

use super::*;

impl<'a> Interpreter<'a> {
    pub(super) fn draw_form(
        &mut self,
        resources: &Resources<'a>,
        name: &[u8],
        gs: &TextState<'a>,
        depth: usize,
        stack: &mut Vec<ObjectId>,
    ) {
        let doc = self.doc;
        let Some(Object::Reference(id)) = resources.lookup(doc, b"XObject", name) else {
            return;
        };
        if let Ok(Object::Stream(s)) = doc.get_object(*id)
            && s.dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Image")
        {
            self.order += 1;
            self.images.push(Image {
                name: format!("{} {} R", id.0, id.1),
                bbox: unit_box(&gs.ctm),
                ctm: gs.ctm,
                order: self.order,
            });
            return;
        }
        self.draw_form_id(*id, resources, gs.ctm, gs.clip, depth, stack);
    }

    /// Draws the Form XObject `id` (also used for annotation appearances) under the
    /// caller's `clip`, cut to the form's `/BBox`.
    pub fn draw_form_id(
        &mut self,
        id: ObjectId,
        inherited: &Resources<'a>,
        ctm: Matrix,
        clip: Option<Clip>,
        depth: usize,
        stack: &mut Vec<ObjectId>,
    ) {
        let doc = self.doc;
        let Ok(Object::Stream(form)) = doc.get_object(id) else {
            return;
        };
        let is_form = form
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Form");
        if !is_form {
            return;
        }
        if depth >= MAX_DEPTH || stack.contains(&id) {
            self.notes.push(format!(
                "form {} {} R: nested too deep or drawn inside itself; its strings are read byte by byte",
                id.0, id.1
            ));
            return;
        }
        let Ok(content) = form.decompressed_content_with_limit(MAX_STREAM) else {
            self.notes
                .push(format!("form {} {} R: cannot be decompressed", id.0, id.1));
            return;
        };
        let matrix = match form.dict.get(b"Matrix") {
            Ok(Object::Array(m)) if m.len() == 6 => [0, 1, 2, 3, 4, 5].map(|i| number(m.get(i))),
            _ => IDENTITY,
        };
        let resources = match form.dict.get(b"Resources").map(|o| deref(doc, o)) {
            Ok(Object::Dictionary(d)) => {
                let mut chain = vec![d];
                chain.extend(inherited.dicts.iter().copied());
                Resources { dicts: chain }
            }
            _ => inherited.clone(),
        };
        let ctm = mul(&matrix, &ctm);
        // Nothing of a form is painted outside its box.
        let bbox = match form.dict.get(b"BBox").map(|o| deref(doc, o)) {
            Ok(Object::Array(b)) if b.len() == 4 => {
                let [x0, y0, x1, y1] = [0, 1, 2, 3].map(|i| number(b.get(i)));
                Clip::of_polygon(
                    &[(x0, y0), (x1, y0), (x1, y1), (x0, y1)].map(|(x, y)| apply(&ctm, x, y)),
                )
            }
            _ => None,
        };
        let caller = std::mem::replace(
            &mut self.entry_clip,
            bbox.map_or(clip, |b| Some(b.within(clip))),
        );
        self.forms_drawn.push(id);
        stack.push(id);
        let name = format!("{} {} R", id.0, id.1);
        self.run(&content, &name, &resources, ctm, depth + 1, stack);
        stack.pop();
        self.entry_clip = caller;
    }
}
