package main

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// metav1Zero is the unset creation timestamp.
var metav1Zero = metav1.Time{}
