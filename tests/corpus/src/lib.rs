//! Every Promise of the upstream corpus (`../shared/upstream/corpus`), imported by
//! `cargo xtask corpus`: regenerate with it, never edit by hand; `cargo xtask corpus
//! --check` fails when these files are stale.

use promise_core::catalog::PromiseDefinition;
use promise_core::pipeline::{PromiseRequest, StepError};

pub mod kratix_config_samples_nil_api_promise;
pub mod kratix_config_samples_postgres_postgres_promise;
pub mod kratix_config_samples_redis_redis_promise;
pub mod kratix_internal_controller_assets_promise_with_delete_workflow;
pub mod kratix_internal_controller_assets_promise_with_deps_only;
pub mod kratix_internal_controller_assets_promise_with_deps_only_updated;
pub mod kratix_internal_controller_assets_promise_with_requirements;
pub mod kratix_internal_controller_assets_promise_with_workflow;
pub mod kratix_internal_controller_assets_promise_with_workflow_updated;
pub mod kratix_internal_controller_assets_redis_simple_promise;
pub mod kratix_internal_controller_assets_redis_simple_promise_updated;
pub mod kratix_lib_fetchers_assets_promise;
pub mod kratix_lib_fetchers_assets_promise_and_namespace;
pub mod kratix_test_system_assets_compound_promise_promise;
pub mod kratix_test_system_assets_compound_promise_sub_promise;
pub mod kratix_test_system_assets_compound_promise_sub_promise_v2;
pub mod kratix_test_system_assets_promise_features_namespaced_workflow_promise;
pub mod kratix_test_system_assets_rbac_promise;
pub mod kratix_test_system_assets_workflow_control_promise;
pub mod kratix_test_system_assets_workflow_control_promise_retry;
pub mod kratix_test_system_assets_workflow_control_promise_updated;
pub mod mp_ai_promise;
pub mod mp_ansible_job_launcher_promise;
pub mod mp_app_as_a_service_promise;
pub mod mp_argocd_application_promise;
pub mod mp_cert_manager_promise;
pub mod mp_crossplane_promise;
pub mod mp_jenkins_promise;
pub mod mp_kafka_promise;
pub mod mp_knative_promise;
pub mod mp_mongodb_promise;
pub mod mp_namespace_claim_promise;
pub mod mp_namespace_promise;
pub mod mp_redis_promise;
pub mod mp_runtime_promise;
pub mod mp_slack_promise;
pub mod mp_sql_aws_promise;
pub mod mp_sql_gcp_promise;
pub mod mp_tekton_promise;
pub mod mp_vault_promise;

/// Each imported Promise, with the corpus file it came from (relative to the corpus).
pub fn promises() -> Vec<(&'static str, PromiseDefinition)> {
    vec![
        (
            "kratix/config/samples/nil-api-promise.yaml",
            kratix_config_samples_nil_api_promise::promise(),
        ),
        (
            "kratix/config/samples/postgres/postgres-promise.yaml",
            kratix_config_samples_postgres_postgres_promise::promise(),
        ),
        (
            "kratix/config/samples/redis/redis-promise.yaml",
            kratix_config_samples_redis_redis_promise::promise(),
        ),
        (
            "kratix/internal/controller/assets/promise-with-delete-workflow.yaml",
            kratix_internal_controller_assets_promise_with_delete_workflow::promise(),
        ),
        (
            "kratix/internal/controller/assets/promise-with-deps-only-updated.yaml",
            kratix_internal_controller_assets_promise_with_deps_only_updated::promise(),
        ),
        (
            "kratix/internal/controller/assets/promise-with-deps-only.yaml",
            kratix_internal_controller_assets_promise_with_deps_only::promise(),
        ),
        (
            "kratix/internal/controller/assets/promise-with-requirements.yaml",
            kratix_internal_controller_assets_promise_with_requirements::promise(),
        ),
        (
            "kratix/internal/controller/assets/promise-with-workflow-updated.yaml",
            kratix_internal_controller_assets_promise_with_workflow_updated::promise(),
        ),
        (
            "kratix/internal/controller/assets/promise-with-workflow.yaml",
            kratix_internal_controller_assets_promise_with_workflow::promise(),
        ),
        (
            "kratix/internal/controller/assets/redis-simple-promise-updated.yaml",
            kratix_internal_controller_assets_redis_simple_promise_updated::promise(),
        ),
        (
            "kratix/internal/controller/assets/redis-simple-promise.yaml",
            kratix_internal_controller_assets_redis_simple_promise::promise(),
        ),
        (
            "kratix/lib/fetchers/assets/promise-and-namespace.yaml",
            kratix_lib_fetchers_assets_promise_and_namespace::promise(),
        ),
        (
            "kratix/lib/fetchers/assets/promise.yaml",
            kratix_lib_fetchers_assets_promise::promise(),
        ),
        (
            "kratix/test/system/assets/compound-promise/promise.yaml",
            kratix_test_system_assets_compound_promise_promise::promise(),
        ),
        (
            "kratix/test/system/assets/compound-promise/sub-promise-v2.yaml",
            kratix_test_system_assets_compound_promise_sub_promise_v2::promise(),
        ),
        (
            "kratix/test/system/assets/compound-promise/sub-promise.yaml",
            kratix_test_system_assets_compound_promise_sub_promise::promise(),
        ),
        (
            "kratix/test/system/assets/promise-features/namespaced-workflow-promise.yaml",
            kratix_test_system_assets_promise_features_namespaced_workflow_promise::promise(),
        ),
        (
            "kratix/test/system/assets/rbac/promise.yaml",
            kratix_test_system_assets_rbac_promise::promise(),
        ),
        (
            "kratix/test/system/assets/workflow-control/promise-retry.yaml",
            kratix_test_system_assets_workflow_control_promise_retry::promise(),
        ),
        (
            "kratix/test/system/assets/workflow-control/promise-updated.yaml",
            kratix_test_system_assets_workflow_control_promise_updated::promise(),
        ),
        (
            "kratix/test/system/assets/workflow-control/promise.yaml",
            kratix_test_system_assets_workflow_control_promise::promise(),
        ),
        ("mp/ai/promise.yaml", mp_ai_promise::promise()),
        (
            "mp/ansible-job-launcher/promise.yaml",
            mp_ansible_job_launcher_promise::promise(),
        ),
        (
            "mp/app-as-a-service/promise.yaml",
            mp_app_as_a_service_promise::promise(),
        ),
        (
            "mp/argocd-application/promise.yaml",
            mp_argocd_application_promise::promise(),
        ),
        (
            "mp/cert-manager/promise.yaml",
            mp_cert_manager_promise::promise(),
        ),
        (
            "mp/crossplane/promise.yaml",
            mp_crossplane_promise::promise(),
        ),
        ("mp/jenkins/promise.yaml", mp_jenkins_promise::promise()),
        ("mp/kafka/promise.yaml", mp_kafka_promise::promise()),
        ("mp/knative/promise.yaml", mp_knative_promise::promise()),
        ("mp/mongodb/promise.yaml", mp_mongodb_promise::promise()),
        ("mp/namespace/promise.yaml", mp_namespace_promise::promise()),
        (
            "mp/namespace-claim/promise.yaml",
            mp_namespace_claim_promise::promise(),
        ),
        ("mp/redis/promise.yaml", mp_redis_promise::promise()),
        ("mp/runtime/promise.yaml", mp_runtime_promise::promise()),
        ("mp/slack/promise.yaml", mp_slack_promise::promise()),
        ("mp/sql/aws/promise.yaml", mp_sql_aws_promise::promise()),
        ("mp/sql/gcp/promise.yaml", mp_sql_gcp_promise::promise()),
        ("mp/tekton/promise.yaml", mp_tekton_promise::promise()),
        ("mp/vault/promise.yaml", mp_vault_promise::promise()),
    ]
}

/// What reads an untyped request's spec into an imported API's types and back.
pub type SpecRoundTrip = fn(&PromiseRequest) -> Result<serde_json::Value, StepError>;

/// The corpus files whose API got typed spec structs, each with its round trip.
pub fn typed_specs() -> Vec<(&'static str, SpecRoundTrip)> {
    vec![
        (
            "kratix/config/samples/postgres/postgres-promise.yaml",
            |request| {
                kratix_config_samples_postgres_postgres_promise::api::spec(request).and_then(
                    |spec| serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string())),
                )
            },
        ),
        (
            "kratix/config/samples/redis/redis-promise.yaml",
            |request| {
                kratix_config_samples_redis_redis_promise::api::spec(request).and_then(|spec| {
                    serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                })
            },
        ),
        (
            "kratix/internal/controller/assets/promise-with-delete-workflow.yaml",
            |request| {
                kratix_internal_controller_assets_promise_with_delete_workflow::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/internal/controller/assets/promise-with-requirements.yaml",
            |request| {
                kratix_internal_controller_assets_promise_with_requirements::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/internal/controller/assets/promise-with-workflow-updated.yaml",
            |request| {
                kratix_internal_controller_assets_promise_with_workflow_updated::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/internal/controller/assets/promise-with-workflow.yaml",
            |request| {
                kratix_internal_controller_assets_promise_with_workflow::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/internal/controller/assets/redis-simple-promise-updated.yaml",
            |request| {
                kratix_internal_controller_assets_redis_simple_promise_updated::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/internal/controller/assets/redis-simple-promise.yaml",
            |request| {
                kratix_internal_controller_assets_redis_simple_promise::api::spec(request).and_then(
                    |spec| serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string())),
                )
            },
        ),
        (
            "kratix/lib/fetchers/assets/promise-and-namespace.yaml",
            |request| {
                kratix_lib_fetchers_assets_promise_and_namespace::api::spec(request).and_then(
                    |spec| serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string())),
                )
            },
        ),
        ("kratix/lib/fetchers/assets/promise.yaml", |request| {
            kratix_lib_fetchers_assets_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        (
            "kratix/test/system/assets/compound-promise/promise.yaml",
            |request| {
                kratix_test_system_assets_compound_promise_promise::api::spec(request).and_then(
                    |spec| serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string())),
                )
            },
        ),
        (
            "kratix/test/system/assets/promise-features/namespaced-workflow-promise.yaml",
            |request| {
                kratix_test_system_assets_promise_features_namespaced_workflow_promise::api::spec(
                    request,
                )
                .and_then(|spec| {
                    serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                })
            },
        ),
        ("kratix/test/system/assets/rbac/promise.yaml", |request| {
            kratix_test_system_assets_rbac_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        (
            "kratix/test/system/assets/workflow-control/promise-retry.yaml",
            |request| {
                kratix_test_system_assets_workflow_control_promise_retry::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/test/system/assets/workflow-control/promise-updated.yaml",
            |request| {
                kratix_test_system_assets_workflow_control_promise_updated::api::spec(request)
                    .and_then(|spec| {
                        serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
                    })
            },
        ),
        (
            "kratix/test/system/assets/workflow-control/promise.yaml",
            |request| {
                kratix_test_system_assets_workflow_control_promise::api::spec(request).and_then(
                    |spec| serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string())),
                )
            },
        ),
        ("mp/ai/promise.yaml", |request| {
            mp_ai_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/ansible-job-launcher/promise.yaml", |request| {
            mp_ansible_job_launcher_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/app-as-a-service/promise.yaml", |request| {
            mp_app_as_a_service_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/argocd-application/promise.yaml", |request| {
            mp_argocd_application_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/jenkins/promise.yaml", |request| {
            mp_jenkins_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/kafka/promise.yaml", |request| {
            mp_kafka_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/knative/promise.yaml", |request| {
            mp_knative_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/mongodb/promise.yaml", |request| {
            mp_mongodb_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/namespace/promise.yaml", |request| {
            mp_namespace_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/namespace-claim/promise.yaml", |request| {
            mp_namespace_claim_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/redis/promise.yaml", |request| {
            mp_redis_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/runtime/promise.yaml", |request| {
            mp_runtime_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/slack/promise.yaml", |request| {
            mp_slack_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/sql/aws/promise.yaml", |request| {
            mp_sql_aws_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/sql/gcp/promise.yaml", |request| {
            mp_sql_gcp_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/tekton/promise.yaml", |request| {
            mp_tekton_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
        ("mp/vault/promise.yaml", |request| {
            mp_vault_promise::api::spec(request).and_then(|spec| {
                serde_json::to_value(spec).map_err(|e| StepError::new(e.to_string()))
            })
        }),
    ]
}
