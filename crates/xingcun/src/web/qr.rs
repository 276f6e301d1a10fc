//! QR codes drawn on the server as SVG, so a page shows them without scripts or images from
//! elsewhere (the content security policy allows neither inline scripts nor remote images).
//!
//! Used for the TOTP enrolment (`otpauth://` URI) and by any page that needs a scannable link.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code of `text` as a self-contained `<svg>` element (black modules on white, a quiet
/// zone, scaling to its container). Medium error correction. Text too long for a QR code
/// (about 2 kB) gives an empty string.
pub fn qr_svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    code.render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build()
        // The renderer starts with an XML declaration, which has no place inside HTML.
        .split_once("<svg")
        .map(|(_, rest)| format!("<svg role=\"img\"{rest}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_one_svg_element_whose_size_grows_with_the_text() {
        let short = qr_svg("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP");
        assert!(
            short.starts_with("<svg"),
            "{}",
            &short[..40.min(short.len())]
        );
        assert!(short.trim_end().ends_with("</svg>"));
        assert!(!short.contains("<?xml"));
        assert!(short.contains("<path") || short.contains("<rect"));
        let long = qr_svg(&"https://example.org/".repeat(20));
        assert!(long.len() > short.len());
        assert_eq!(qr_svg(&"x".repeat(5000)), "");
    }
}
