// kubeoracle validates objects exactly as the Kubernetes apiserver does on create, with the
// apiserver's own code (k8s.io/apiextensions-apiserver, k8s.io/apiserver), offline.
//
//	kubeoracle crd FILE                    a CustomResourceDefinition, as the apiserver creates it
//	kubeoracle cr --crd CRD [--prune] [--each] FILE
//	                                       an object of that CRD's storage version (the only
//	                                       version checked), as stored; --each: one verdict per
//	                                       document of FILE, as a JSON array
//	kubeoracle core FILE                   core objects (every document), through their registry strategies
//	kubeoracle batch                       any number of the above in one process: each line of
//	                                       stdin a JSON array of arguments (["crd", "FILE"]), each
//	                                       answered by one line {"code", "verdict", "error"}
//
// It prints one JSON object on stdout: {"allowed", "errors": [{"field", "type", "detail"}],
// "warnings", "object"}. Exit 0: allowed; 1: refused; 2: usage or input error. Batch mode
// exists because starting the apiserver's packages costs ~40 ms, far more than a check.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"

	apiextensionshelpers "k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/install"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	crregistry "k8s.io/apiextensions-apiserver/pkg/registry/customresource"
	crdregistry "k8s.io/apiextensions-apiserver/pkg/registry/customresourcedefinition"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/unstructuredscheme"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

type fieldError struct {
	Field  string `json:"field"`
	Type   string `json:"type"`
	Detail string `json:"detail"`
}

type verdict struct {
	Allowed  bool                   `json:"allowed"`
	Errors   []fieldError           `json:"errors"`
	Warnings []string               `json:"warnings"`
	Object   map[string]interface{} `json:"object,omitempty"`
}

// normalize prints empty lists as [], never null.
func (v *verdict) normalize() {
	if v.Errors == nil {
		v.Errors = []fieldError{}
	}
	if v.Warnings == nil {
		v.Warnings = []string{}
	}
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "batch" {
		// A batch checks thousands of small objects, each garbage at once: collecting at 4x
		// the live heap instead of 2x takes a fifth off a differential run's CPU (tests'
		// oracles::request_admission_agrees_with_the_apiserver), for ~30 MB more.
		debug.SetGCPercent(400)
		if err := batch(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "kubeoracle:", err)
			os.Exit(2)
		}
		return
	}
	code, out, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubeoracle:", err)
	}
	if out != nil {
		fmt.Println(string(out))
	}
	os.Exit(code)
}

// run answers one command line: the exit code (0 allowed, 1 refused, 2 usage or input error)
// and the verdict, or the verdicts of `cr --each`, as JSON.
func run(args []string) (int, json.RawMessage, error) {
	if len(args) == 0 {
		return 2, nil, usage("a subcommand is required: crd, cr or core")
	}
	var v verdict
	var err error
	switch args[0] {
	case "crd", "core":
		file, ferr := oneFile(args)
		if ferr != nil {
			return 2, nil, ferr
		}
		if args[0] == "crd" {
			v, err = checkCRD(file)
		} else {
			v, err = checkCore(file)
		}
	case "cr":
		flags := flag.NewFlagSet("cr", flag.ContinueOnError)
		flags.SetOutput(io.Discard)
		crdFile := flags.String("crd", "", "the CustomResourceDefinition")
		prune := flags.Bool("prune", false, "prune unknown fields with a warning instead of refusing them")
		each := flags.Bool("each", false, "FILE holds many objects, one per document: print a JSON array of verdicts")
		if perr := flags.Parse(args[1:]); perr != nil || flags.NArg() != 1 || *crdFile == "" {
			return 2, nil, usage("cr --crd CRD [--prune] [--each] FILE")
		}
		if *each {
			out, eerr := checkEach(*crdFile, flags.Arg(0), *prune)
			if eerr != nil {
				return 2, nil, eerr
			}
			return 0, out, nil
		}
		v, err = checkCR(*crdFile, flags.Arg(0), *prune)
	default:
		return 2, nil, usage("unknown subcommand " + args[0])
	}
	if err != nil {
		return 2, nil, err
	}
	v.normalize()
	out, err := json.Marshal(v)
	if err != nil {
		return 2, nil, err
	}
	if !v.Allowed {
		return 1, out, nil
	}
	return 0, out, nil
}

// answer is one line of batch output.
type answer struct {
	Code    int             `json:"code"`
	Verdict json.RawMessage `json:"verdict"`
	Error   string          `json:"error,omitempty"`
}

// batch runs each line of in as a command line and writes its answer as a line of out, until
// in ends.
func batch(in io.Reader, out io.Writer) error {
	lines := bufio.NewScanner(in)
	lines.Buffer(make([]byte, 1<<20), 1<<26)
	w := bufio.NewWriter(out)
	for lines.Scan() {
		var args []string
		if err := json.Unmarshal(lines.Bytes(), &args); err != nil {
			return fmt.Errorf("a batch line must be a JSON array of strings: %w", err)
		}
		code, verdict, err := run(args)
		a := answer{Code: code, Verdict: verdict}
		if verdict == nil {
			a.Verdict = json.RawMessage("null")
		}
		if err != nil {
			a.Error = err.Error()
		}
		line, merr := json.Marshal(a)
		if merr != nil {
			return merr
		}
		if _, werr := w.Write(append(line, '\n')); werr != nil {
			return werr
		}
		// Each answer is awaited before the next line is written.
		if ferr := w.Flush(); ferr != nil {
			return ferr
		}
	}
	return lines.Err()
}

// oneFile parses the arguments of a subcommand that takes one FILE.
func oneFile(args []string) (string, error) {
	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	if err := flags.Parse(args[1:]); err != nil || flags.NArg() != 1 {
		return "", usage(args[0] + " FILE")
	}
	return flags.Arg(0), nil
}

func usage(msg string) error {
	return errors.New("usage: kubeoracle crd FILE | kubeoracle cr --crd CRD [--prune] [--each] FILE | kubeoracle core FILE | kubeoracle batch: " + msg)
}

var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	install.Install(s)
	return s
}()

// strictFields lists the fields a strict decode (kubectl's default field validation) refuses.
func strictFields(data []byte, into interface{}) ([]fieldError, error) {
	strict, err := sigsjson.UnmarshalStrict(data, into)
	if err != nil {
		return nil, err
	}
	var errs []fieldError
	for _, e := range strict {
		errs = append(errs, fieldError{Field: "", Type: "FieldValueNotSupported", Detail: e.Error()})
	}
	return errs, nil
}

// decodeCRD decodes a v1 CRD as the apiserver does: defaulted, and converted to the internal
// version its strategy works on.
func decodeCRD(file string) (*apiextensionsv1.CustomResourceDefinition, *apiextensions.CustomResourceDefinition, []fieldError, error) {
	content, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, nil, err
	}
	return decodeCRDContent(file, content)
}

// decodeCRDContent is decodeCRD of the content of file.
func decodeCRDContent(file string, content []byte) (*apiextensionsv1.CustomResourceDefinition, *apiextensions.CustomResourceDefinition, []fieldError, error) {
	data, err := yaml.YAMLToJSON(content)
	if err != nil {
		return nil, nil, nil, err
	}
	v1 := &apiextensionsv1.CustomResourceDefinition{}
	unknown, err := strictFields(data, v1)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	scheme.Default(v1)
	internal := &apiextensions.CustomResourceDefinition{}
	if err := scheme.Convert(v1, internal, nil); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return v1, internal, unknown, nil
}

func checkCRD(file string) (verdict, error) {
	_, crd, unknown, err := decodeCRD(file)
	if err != nil {
		return verdict{}, err
	}
	if len(unknown) > 0 {
		return verdict{Allowed: false, Errors: unknown}, nil
	}
	ctx := genericapirequest.WithNamespace(context.Background(), "")
	rest.FillObjectMetaSystemFields(crd)
	err = rest.BeforeCreate(crdregistry.NewStrategy(scheme), ctx, crd)
	return fromError(err), nil
}

// checkEach answers one verdict per document of file, as a JSON array.
func checkEach(crdFile, file string, prune bool) (json.RawMessage, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	docs, err := splitDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	s, err := schemaOf(crdFile)
	if err != nil {
		return nil, err
	}
	verdicts := []verdict{}
	for _, doc := range docs {
		v, err := checkObject(s, doc, prune)
		if err != nil {
			return nil, err
		}
		v.normalize()
		verdicts = append(verdicts, v)
	}
	return json.Marshal(verdicts)
}

func checkCR(crdFile, file string, prune bool) (verdict, error) {
	s, err := schemaOf(crdFile)
	if err != nil {
		return verdict{}, err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return verdict{}, err
	}
	return checkObject(s, data, prune)
}

// crdSchema is what checkObject needs of a CRD: the CRD decoded, and its storage version's
// schema and validators built, as the apiserver builds them once per CRD rather than per
// request.
type crdSchema struct {
	crd             *apiextensionsv1.CustomResourceDefinition
	storage         string
	structural      *structuralschema.Structural
	schemaValidator apiservervalidation.SchemaValidator
	statusValidator apiservervalidation.SchemaValidator
	status          *apiextensions.CustomResourceSubresourceStatus
	scale           *apiextensions.CustomResourceSubresourceScale
}

// crdSchemas holds each CRD's schema by its file's content: a batch checks thousands of
// objects against a handful of CRDs (building them per object took most of its time).
// batch answers one line at a time, so there is no lock.
var crdSchemas = map[string]*crdSchema{}

// schemaOf is the schema of the CRD in crdFile, built on first use of its content.
func schemaOf(crdFile string) (*crdSchema, error) {
	content, err := os.ReadFile(crdFile)
	if err != nil {
		return nil, err
	}
	if s, ok := crdSchemas[string(content)]; ok {
		return s, nil
	}
	crd, _, unknown, err := decodeCRDContent(crdFile, content)
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s: not a valid CRD: %v", crdFile, unknown)
	}
	var storage string
	for _, version := range crd.Spec.Versions {
		if version.Storage {
			storage = version.Name
		}
	}
	// As the apiserver's handler does: the v1 schema and subresources of the storage version,
	// converted to the internal types the validators take.
	v1Validation, err := apiextensionshelpers.GetSchemaForVersion(crd, storage)
	if err != nil || v1Validation == nil || v1Validation.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("%s: no schema for the storage version %q", crdFile, storage)
	}
	validation := &apiextensions.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v1Validation, validation, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(validation.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("%s: schema is not structural: %w", crdFile, err)
	}
	schemaValidator, _, err := apiservervalidation.NewSchemaValidator(validation.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	v1Subresources, err := apiextensionshelpers.GetSubresourcesForVersion(crd, storage)
	if err != nil {
		return nil, err
	}
	s := &crdSchema{crd: crd, storage: storage, structural: structural, schemaValidator: schemaValidator}
	if v1Subresources != nil {
		subresources := &apiextensions.CustomResourceSubresources{}
		if err := apiextensionsv1.Convert_v1_CustomResourceSubresources_To_apiextensions_CustomResourceSubresources(v1Subresources, subresources, nil); err != nil {
			return nil, err
		}
		s.status, s.scale = subresources.Status, subresources.Scale
		if s.status != nil {
			if statusSchema, ok := validation.OpenAPIV3Schema.Properties["status"]; ok {
				s.statusValidator, _, err = apiservervalidation.NewSchemaValidator(&statusSchema)
				if err != nil {
					return nil, err
				}
			}
		}
	}
	crdSchemas[string(content)] = s
	return s, nil
}

// checkObject validates one YAML or JSON object against the CRD whose schema is s.
func checkObject(s *crdSchema, yamlData []byte, prune bool) (verdict, error) {
	crd, storage, structural := s.crd, s.storage, s.structural
	schemaValidator, statusValidator, status, scale := s.schemaValidator, s.statusValidator, s.status, s.scale

	// A JSON document is read as the apiserver reads a JSON body (kubectl sends JSON); only
	// YAML goes through the conversion, which took a seventh of this program's time in a
	// differential run, all of it on requests that were JSON already.
	data, err := yamlData, error(nil)
	if !json.Valid(yamlData) {
		data, err = yaml.YAMLToJSON(yamlData)
	}
	if err != nil {
		return verdict{Allowed: false, Errors: []fieldError{{Type: "FieldValueInvalid", Detail: err.Error()}}}, nil
	}
	var object map[string]interface{}
	// Numbers as int64 where they are integers, as the apiserver's decoder reads them.
	if err := utiljson.Unmarshal(data, &object); err != nil || object == nil {
		return verdict{Allowed: false, Errors: []fieldError{{Type: "FieldValueInvalid", Detail: fmt.Sprintf("not an object: %v", err)}}}, nil
	}
	u := &unstructured.Unstructured{Object: object}
	gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: storage, Kind: crd.Spec.Names.Kind}
	if u.GroupVersionKind() != gvk {
		return verdict{Allowed: false, Errors: []fieldError{{
			Field: "apiVersion", Type: "FieldValueInvalid",
			Detail: fmt.Sprintf("%s is not %s", u.GroupVersionKind(), gvk),
		}}}, nil
	}

	// What the apiserver's decoder does: metadata read as ObjectMeta, unknown fields pruned
	// (and listed), non-nullable nulls without defaults dropped, metadata coerced; then the
	// structural defaults applied.
	objectMeta, foundMeta, metaUnknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return verdict{Allowed: false, Errors: []fieldError{{Field: "metadata", Type: "FieldValueInvalid", Detail: err.Error()}}}, nil
	}
	unknownPaths := append([]string{}, metaUnknown...)
	if !crd.Spec.PreserveUnknownFields {
		unknownPaths = append(unknownPaths, structuralpruning.PruneWithOptions(u.Object, structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
		structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, structural)
	}
	if err, paths := schemaobjectmeta.CoerceWithOptions(nil, u.Object, structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true}); err != nil {
		return verdict{Allowed: false, Errors: []fieldError{{Field: "metadata", Type: "FieldValueInvalid", Detail: err.Error()}}}, nil
	} else {
		unknownPaths = append(unknownPaths, paths...)
	}
	u.SetAPIVersion(gvk.GroupVersion().String())
	u.SetKind(gvk.Kind)
	if foundMeta {
		if err := schemaobjectmeta.SetObjectMeta(u.Object, objectMeta); err != nil {
			return verdict{}, err
		}
	}
	sort.Strings(unknownPaths)
	if len(unknownPaths) > 0 && !prune {
		var errs []fieldError
		for _, p := range unknownPaths {
			errs = append(errs, fieldError{Field: p, Type: "FieldValueNotSupported", Detail: "unknown field"})
		}
		return verdict{Allowed: false, Errors: errs}, nil
	}
	var warnings []string
	for _, p := range unknownPaths {
		warnings = append(warnings, "unknown field \""+p+"\"")
	}
	structuraldefaulting.Default(u.Object, structural)

	namespaced := crd.Spec.Scope == apiextensionsv1.NamespaceScoped
	strategy := crregistry.NewStrategy(unstructuredscheme.NewUnstructuredObjectTyper(), namespaced, gvk, schemaValidator, statusValidator, structural, status, scale, nil)
	ctx := genericapirequest.WithNamespace(context.Background(), "")
	if namespaced {
		ns := u.GetNamespace()
		if ns == "" {
			ns = "default"
			u.SetNamespace(ns)
		}
		ctx = genericapirequest.WithNamespace(context.Background(), ns)
	}
	accessor, err := meta.Accessor(u)
	if err != nil {
		return verdict{}, err
	}
	rest.FillObjectMetaSystemFields(accessor)
	if err := rest.BeforeCreate(strategy, ctx, u); err != nil {
		v := fromError(err)
		v.Warnings = warnings
		return v, nil
	}
	// The stored object, without the system fields this program filled in.
	accessor.SetUID("")
	accessor.SetCreationTimestamp(metav1Zero)
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	return verdict{Allowed: true, Warnings: warnings, Object: u.Object}, nil
}

func fromError(err error) verdict {
	if err == nil {
		return verdict{Allowed: true}
	}
	var errs []fieldError
	if status, ok := err.(apierrors.APIStatus); ok && status.Status().Details != nil && len(status.Status().Details.Causes) > 0 {
		for _, cause := range status.Status().Details.Causes {
			errs = append(errs, fieldError{Field: cause.Field, Type: string(cause.Type), Detail: cause.Message})
		}
	} else {
		errs = append(errs, fieldError{Detail: err.Error()})
	}
	return verdict{Allowed: false, Errors: errs}
}
