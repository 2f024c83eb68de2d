//! `wire_name()`, which `#[api_type]` generates for unit enums, is what serde writes, under
//! every `rename_all` rule serde has and a variant's own `rename`.

use promise_core::api_type;
use promise_core::crossplane::Variants;

macro_rules! renamed {
    ($($name:ident: $rule:literal),* $(,)?) => {
        $(
            /// Variants named as `#[serde(rename_all)]` says.
            #[api_type]
            #[serde(rename_all = $rule)]
            pub enum $name {
                /// One word.
                Small,
                /// Two words.
                ExtraLarge,
                /// An acronym and a digit.
                HttpV2Only,
                /// Its own name.
                #[serde(rename = "custom-name")]
                Renamed,
            }
        )*

        #[test]
        fn every_variant_is_named_as_serde_writes_it() {
            let mut compared = 0;
            $(
                for variant in $name::VARIANTS {
                    let written = serde_json::to_value(variant).expect("a unit variant serializes");
                    assert_eq!(
                        written.as_str(),
                        Some(variant.wire_name()),
                        "{} under rename_all = {:?}",
                        stringify!($name),
                        $rule
                    );
                    compared += 1;
                }
            )*
            assert_eq!(compared, 8 * 4);
        }
    };
}

renamed! {
    Lower: "lowercase",
    Upper: "UPPERCASE",
    Pascal: "PascalCase",
    Camel: "camelCase",
    Snake: "snake_case",
    ScreamingSnake: "SCREAMING_SNAKE_CASE",
    Kebab: "kebab-case",
    ScreamingKebab: "SCREAMING-KEBAB-CASE",
}

/// Without `rename_all`, variants keep their Rust names.
#[api_type]
pub enum Plain {
    /// One.
    FirstChoice,
    /// Another.
    #[serde(rename = "second")]
    SecondChoice,
}

#[test]
fn without_a_rule_the_rust_name_is_the_wire_name() {
    assert_eq!(Plain::FirstChoice.wire_name(), "FirstChoice");
    assert_eq!(Plain::SecondChoice.wire_name(), "second");
    for variant in Plain::VARIANTS {
        assert_eq!(
            serde_json::to_value(variant).expect("serializes").as_str(),
            Some(variant.wire_name())
        );
    }
}
