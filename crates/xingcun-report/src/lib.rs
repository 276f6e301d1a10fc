//! The work report (工作报告) as data, and its three renderings, each a pure `Document → bytes`
//! function: [`docx`] (hand-written OOXML in a zip, Chinese fonts declared for Word, WPS and
//! LibreOffice), [`pdf`] (A4, with a subset of the embedded Chinese font) and [`html`] (every
//! figure a link to the records behind it).
//!
//! The report is written as text with light markup ([`markup`]): `#` title, `##` and `###`
//! headings, blank-line-separated paragraphs, figures and tables inserted as markers by the
//! template functions of the application. [`markup::parse`] turns that text into a
//! [`Document`].
//!
//! Split off from the application so the PDF library and the font bytes compile once.

pub mod docx;
pub mod html;
pub mod markup;
pub mod model;
pub mod pdf;

pub use model::{Block, Document, Span, Table};

/// WenQuanYi Micro Hei (文泉驿微米黑, Apache-2.0), a TrueType collection; face 0 is used.
/// Embedded so the binary needs no font on the machine it runs on.
pub static FONT: &[u8] = include_bytes!("../fonts/wqy-microhei.ttc");

/// A rendering failed (only the PDF writer and the zip writer can fail).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("生成 Word 文件失败：{0}")]
    Docx(String),
    #[error("生成 PDF 文件失败：{0}")]
    Pdf(String),
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(String),
}
