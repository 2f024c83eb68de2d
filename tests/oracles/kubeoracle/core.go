package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/resourcequota"
	"k8s.io/kubernetes/pkg/registry/core/secret"
	"k8s.io/kubernetes/pkg/registry/core/service"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	"k8s.io/kubernetes/pkg/registry/networking/ingress"
	"k8s.io/kubernetes/pkg/registry/networking/networkpolicy"
)

// The registry strategies of the core kinds our pipelines write: what the apiserver runs on
// create, after decoding (strict, defaulted, converted to the internal version).
var coreStrategies = map[schema.GroupKind]rest.RESTCreateStrategy{
	{Kind: "Namespace"}:                                 namespace.Strategy,
	{Kind: "ResourceQuota"}:                             resourcequota.Strategy,
	{Kind: "Service"}:                                   service.Strategy,
	{Kind: "Secret"}:                                    secret.Strategy,
	{Kind: "ConfigMap"}:                                 configmap.Strategy,
	{Kind: "ServiceAccount"}:                            serviceaccount.Strategy,
	{Group: "apps", Kind: "Deployment"}:                 deployment.Strategy,
	{Group: "batch", Kind: "Job"}:                       job.Strategy,
	{Group: "networking.k8s.io", Kind: "Ingress"}:       ingress.Strategy,
	{Group: "networking.k8s.io", Kind: "NetworkPolicy"}: networkpolicy.Strategy,
}

var strictCodecs = serializer.NewCodecFactory(legacyscheme.Scheme, serializer.EnableStrict)

// checkCore validates every document of file: each a core object the apiserver would create.
func checkCore(file string) (verdict, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return verdict{}, err
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	result := verdict{Allowed: true}
	for index := 0; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return verdict{}, fmt.Errorf("%s: %w", file, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		errs := checkCoreDocument(doc)
		if len(errs) > 0 {
			result.Allowed = false
			for _, e := range errs {
				e.Detail = fmt.Sprintf("document %d: %s", index, e.Detail)
				result.Errors = append(result.Errors, e)
			}
		}
	}
	return result, nil
}

func checkCoreDocument(doc []byte) []fieldError {
	obj, gvk, err := strictCodecs.UniversalDecoder().Decode(doc, nil, nil)
	if err != nil && runtime.IsStrictDecodingError(err) {
		var errs []fieldError
		for _, e := range err.(interface{ Errors() []error }).Errors() {
			errs = append(errs, fieldError{Type: "FieldValueNotSupported", Detail: e.Error()})
		}
		return errs
	}
	if err != nil {
		return []fieldError{{Type: "FieldValueInvalid", Detail: err.Error()}}
	}
	strategy, ok := coreStrategies[gvk.GroupKind()]
	if !ok {
		return []fieldError{{Field: "kind", Type: "FieldValueNotSupported", Detail: fmt.Sprintf("%s is not a kind kubeoracle core checks", gvk)}}
	}
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return []fieldError{{Detail: err.Error()}}
	}
	ctx := genericapirequest.WithNamespace(context.Background(), "")
	if strategy.NamespaceScoped() {
		if accessor.GetNamespace() == "" {
			accessor.SetNamespace("default")
		}
		ctx = genericapirequest.WithNamespace(context.Background(), accessor.GetNamespace())
	}
	rest.FillObjectMetaSystemFields(accessor)
	return fromError(rest.BeforeCreate(strategy, ctx, obj)).Errors
}

// splitDocuments splits a YAML stream into its documents.
func splitDocuments(data []byte) ([][]byte, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
}
