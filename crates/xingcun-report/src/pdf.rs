//! The report as a PDF: A4 pages laid out here (line breaking by glyph advances, tables with
//! grid lines, page numbers), written with krilla, which embeds only the glyphs used from the
//! bundled Chinese font. Figures link to their records when the document has a link base.

use std::sync::Arc;

use krilla::Document as PdfDocument;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use crate::model::{Block, Document, Span, Table, plain};
use crate::{FONT, RenderError};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 79.0;
const RIGHT: f32 = 74.0;
const TOP: f32 = 104.0;
const BOTTOM: f32 = 99.0;
const TEXT_W: f32 = PAGE_W - LEFT - RIGHT;
const BODY: f32 = 16.0;
const LINE: f32 = 28.9;
const TITLE: f32 = 22.0;
const CELL: f32 = 12.0;
const CELL_LINE: f32 = 17.0;
const CELL_PAD: f32 = 4.0;
/// Punctuation that may not begin a line (避头点).
const NO_LINE_START: &str = "，。、；：？！）》」』”’%．,.;:?!)]";

/// One thing drawn on a page, in points from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        link: bool,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    Link {
        rect: (f32, f32, f32, f32),
        url: String,
    },
}

/// Glyph advances of the bundled font, in ems.
struct Metrics {
    face: ttf_parser::Face<'static>,
    upem: f32,
}

impl Metrics {
    fn new() -> Result<Metrics, RenderError> {
        let face = ttf_parser::Face::parse(FONT, 0)
            .map_err(|e| RenderError::Pdf(format!("字体无法读取：{e}")))?;
        let upem = f32::from(face.units_per_em());
        Ok(Metrics { face, upem })
    }

    fn advance(&self, c: char) -> f32 {
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map_or(if c.is_ascii() { 0.5 } else { 1.0 }, |a| {
                f32::from(a) / self.upem
            })
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }
}

/// A piece of a laid-out line: text at an offset, and the link it carries.
#[derive(Debug, Clone)]
struct Piece {
    dx: f32,
    text: String,
    width: f32,
    url: Option<String>,
}

/// Breaks spans into lines no wider than `width` (the first line `indent` narrower).
fn break_lines(
    m: &Metrics,
    doc: &Document,
    spans: &[Span],
    size: f32,
    width: f32,
    indent: f32,
) -> Vec<Vec<Piece>> {
    let mut lines: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut x = indent;
    for span in spans {
        let url = match span {
            Span::Figure { href, .. } => Some(doc.absolute(href).unwrap_or_default()),
            Span::Text { .. } => None,
        };
        let mut piece = Piece {
            dx: x,
            text: String::new(),
            width: 0.0,
            url: url.clone(),
        };
        for c in span.text().chars() {
            let a = m.advance(c) * size;
            if x + a > width + 0.01 && x > 0.0 && !NO_LINE_START.contains(c) {
                let full = std::mem::replace(
                    &mut piece,
                    Piece {
                        dx: 0.0,
                        text: String::new(),
                        width: 0.0,
                        url: url.clone(),
                    },
                );
                if !full.text.is_empty()
                    && let Some(l) = lines.last_mut()
                {
                    l.push(full);
                }
                lines.push(Vec::new());
                x = 0.0;
            }
            piece.text.push(c);
            piece.width += a;
            x += a;
        }
        if !piece.text.is_empty()
            && let Some(l) = lines.last_mut()
        {
            l.push(piece);
        }
    }
    lines
}

/// The pages being laid out.
struct Layout {
    m: Metrics,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let n = self.pages.len();
        &mut self.pages[n - 1]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Makes room for `h` points, starting a page when the rest would not hold it.
    fn room(&mut self, h: f32) {
        if self.y + h > PAGE_H - BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn line(&mut self, pieces: &[Piece], x0: f32, size: f32, height: f32) {
        self.room(height);
        // The baseline sits so the glyphs are centred in the line's height.
        let base = self.y + (height + size * 0.7) / 2.0;
        for p in pieces {
            let link = p.url.is_some();
            self.page().push(Op::Text {
                x: x0 + p.dx,
                y: base,
                size,
                text: p.text.clone(),
                link,
            });
            if let Some(url) = p.url.as_ref().filter(|u| !u.is_empty()) {
                self.page().push(Op::Link {
                    rect: (x0 + p.dx, base - size, p.width, size * 1.25),
                    url: url.clone(),
                });
            }
        }
        self.y += height;
    }

    fn text_block(
        &mut self,
        doc: &Document,
        spans: &[Span],
        size: f32,
        height: f32,
        indent: f32,
        centred: bool,
    ) {
        let lines = break_lines(&self.m, doc, spans, size, TEXT_W, indent);
        for l in lines {
            let w: f32 = l.last().map_or(0.0, |p| p.dx + p.width);
            let x0 = if centred {
                LEFT + (TEXT_W - w).max(0.0) / 2.0
            } else {
                LEFT
            };
            self.line(&l, x0, size, height);
        }
    }

    fn table(&mut self, doc: &Document, t: &Table) {
        let n = t
            .header
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        // Each column at least as wide as its widest cell (figures and names do not wrap),
        // the room left shared by how much more the headers would like.
        let pad = 2.0 * CELL_PAD + 1.0;
        let mut min = vec![self.m.width("合计", CELL) + pad; n];
        for row in &t.rows {
            for (i, c) in row.iter().enumerate() {
                min[i] = min[i].max(self.m.width(&plain(c), CELL) + pad);
            }
        }
        let mut extra: Vec<f32> = (0..n)
            .map(|i| {
                let h = t.header.get(i).map_or(0.0, |h| self.m.width(h, CELL) + pad);
                (h - min[i]).max(0.0)
            })
            .collect();
        let floor: f32 = min.iter().sum();
        let widths: Vec<f32> = if floor >= TEXT_W {
            min.iter().map(|w| w / floor * TEXT_W).collect()
        } else {
            let room = TEXT_W - floor;
            let wanted: f32 = extra.iter().sum();
            if wanted <= room {
                // Everything fits on one line: spread what is left evenly.
                let even = (room - wanted) / n as f32;
                extra.iter_mut().for_each(|e| *e += even);
            } else {
                extra.iter_mut().for_each(|e| *e *= room / wanted);
            }
            min.iter().zip(&extra).map(|(m, e)| m + e).collect()
        };
        if let Some(c) = &t.caption {
            let spans = [Span::Text { text: c.clone() }];
            self.text_block(doc, &spans, CELL, CELL_LINE + 4.0, 0.0, true);
        }
        let header: Vec<Vec<Span>> = t
            .header
            .iter()
            .map(|h| vec![Span::Text { text: h.clone() }])
            .collect();
        // The header and the first row stay together.
        self.room(2.0 * (CELL_LINE + 2.0 * CELL_PAD));
        self.table_row(doc, &header, &widths, None);
        for row in &t.rows {
            self.table_row(doc, row, &widths, Some(&header));
        }
        self.y += LINE / 2.0;
    }

    /// Draws one row of cells with its grid lines; a row that starts a new page has the
    /// `header` repeated above it (`None` for the header itself).
    fn table_row(
        &mut self,
        doc: &Document,
        row: &[Vec<Span>],
        widths: &[f32],
        header: Option<&[Vec<Span>]>,
    ) {
        let head = header.is_none();
        let cells: Vec<Vec<Vec<Piece>>> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let spans = row.get(i).map(Vec::as_slice).unwrap_or(&[]);
                break_lines(&self.m, doc, spans, CELL, w - 2.0 * CELL_PAD, 0.0)
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = lines as f32 * CELL_LINE + 2.0 * CELL_PAD;
        if self.y + h > PAGE_H - BOTTOM && self.y > TOP {
            self.new_page();
            if let Some(header) = header {
                self.table_row(doc, header, widths, None);
            }
        }
        let top = self.y;
        let mut x = LEFT;
        for (i, w) in widths.iter().enumerate() {
            let mut y = top + CELL_PAD;
            for l in &cells[i] {
                let lw: f32 = l.last().map_or(0.0, |p| p.dx + p.width);
                // Headers and figures centred, like the Word table.
                let x0 = if head || i > 0 {
                    x + (w - lw) / 2.0
                } else {
                    x + CELL_PAD
                };
                let saved = self.y;
                self.y = y;
                self.line(l, x0, CELL, CELL_LINE);
                self.y = saved;
                y += CELL_LINE;
            }
            x += w;
        }
        let bottom = top + h;
        let right = LEFT + widths.iter().sum::<f32>();
        let page = self.page();
        page.push(Op::Rule {
            x1: LEFT,
            y1: top,
            x2: right,
            y2: top,
        });
        page.push(Op::Rule {
            x1: LEFT,
            y1: bottom,
            x2: right,
            y2: bottom,
        });
        let mut x = LEFT;
        page.push(Op::Rule {
            x1: x,
            y1: top,
            x2: x,
            y2: bottom,
        });
        for w in widths {
            x += w;
            page.push(Op::Rule {
                x1: x,
                y1: top,
                x2: x,
                y2: bottom,
            });
        }
        self.y = bottom;
    }
}

/// Lays the document out: the drawing operations of each page (page numbers included).
pub fn layout(doc: &Document) -> Result<Vec<Vec<Op>>, RenderError> {
    let mut l = Layout {
        m: Metrics::new()?,
        pages: vec![Vec::new()],
        y: TOP,
    };
    for b in &doc.blocks {
        match b {
            Block::Heading { level: 1, spans } => {
                l.text_block(doc, spans, TITLE, LINE * 1.4, 0.0, true);
                l.y += LINE / 2.0;
            }
            Block::Heading { spans, .. } => {
                // Keep a heading with the line after it.
                l.room(LINE * 2.0);
                l.text_block(doc, spans, BODY, LINE, BODY * 2.0, false);
            }
            Block::Paragraph { spans } => l.text_block(doc, spans, BODY, LINE, BODY * 2.0, false),
            Block::Table(t) => l.table(doc, t),
        }
    }
    for (i, page) in l.pages.iter_mut().enumerate() {
        let text = format!("— {} —", i + 1);
        let w = l.m.width(&text, 14.0);
        page.push(Op::Text {
            x: (PAGE_W - w) / 2.0,
            y: PAGE_H - 60.0,
            size: 14.0,
            text,
            link: false,
        });
    }
    Ok(l.pages)
}

/// The PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let pages = layout(doc)?;
    let font = Font::new(Arc::new(FONT.to_vec()).into(), 0)
        .ok_or_else(|| RenderError::Pdf("字体无法读取".into()))?;
    let mut pdf = PdfDocument::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language("zh-CN".into())
            .creator("兴村".into()),
    );
    let black = Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        ..Fill::default()
    };
    let red = Fill {
        paint: rgb::Color::new(0xb3, 0x26, 0x1e).into(),
        ..Fill::default()
    };
    for ops in pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| RenderError::Pdf("页面尺寸无效".into()))?;
        let mut page = pdf.start_page_with(settings);
        let mut links = Vec::new();
        {
            let mut surface = page.surface();
            for op in &ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        text,
                        link,
                    } => {
                        surface.set_fill(Some(if *link { red.clone() } else { black.clone() }));
                        surface.draw_text(
                            Point::from_xy(*x, *y),
                            font.clone(),
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Rule { x1, y1, x2, y2 } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(*x1, *y1);
                        pb.line_to(*x2, *y2);
                        if let Some(path) = pb.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                width: 0.6,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                            surface.set_stroke(None);
                        }
                    }
                    Op::Link { rect, url } => links.push((*rect, url.clone())),
                }
            }
            surface.finish();
        }
        for ((x, y, w, h), url) in links {
            if let Some(rect) = Rect::from_xywh(x, y, w.max(1.0), h) {
                page.add_annotation(Annotation::new_link(
                    LinkAnnotation::new(rect, Target::Action(LinkAction::new(url).into())),
                    None,
                ));
            }
        }
        page.finish();
    }
    pdf.finish().map_err(|e| RenderError::Pdf(format!("{e:?}")))
}
