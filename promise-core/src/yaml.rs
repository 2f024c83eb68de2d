//! The one YAML writer every rendered file goes through.

use serde::Serialize;

/// Serializes `value` as one YAML document with pinned options, so that output depends on
/// the value alone: 2-space indent, compact lists, block scalars for multi-line strings, and
/// YAML 1.1 look-alikes (`on`, `yes`, `0755`, `2024-01-01`) quoted so Go's YAML readers keep
/// them strings.
///
/// ```
/// let yaml = promise_core::yaml::to_string(&serde_json::json!({"a": "on", "b": [1, 2]})).unwrap();
/// assert_eq!(yaml, "a: \"on\"\nb:\n- 1\n- 2\n");
/// ```
pub fn to_string<T: Serialize>(value: &T) -> Result<String, serde_saphyr::ser::Error> {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.indent_step = 2;
    options.compact_list_indent = true;
    options.prefer_block_scalars = true;
    options.quote_all = false;
    options.yaml_12 = false;
    options.tagged_enums = false;
    let mut out = String::new();
    serde_saphyr::to_fmt_writer_with_options(&mut out, value, options)?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
