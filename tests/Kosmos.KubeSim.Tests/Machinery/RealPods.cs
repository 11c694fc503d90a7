namespace Kosmos.KubeSim.Tests.Machinery;

/// <summary>
/// Pods exactly as real clusters returned them (copied from the shared real-pods ground truth; sources in its
/// *.source.md files). Used to prove that strict validation accepts genuine server output.
/// </summary>
internal static class RealPods
{
    public static readonly IReadOnlyDictionary<string, string> ByName = new Dictionary<string, string>
    {
        ["01-nginx-running-healthy"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2022-02-17T21:51:01Z",
                "generateName": "nginx-deployment-67d4bdd6f5-",
                "labels": {
                  "app": "web-agent",
                  "pod-template-hash": "67d4bdd6f5"
                },
                "name": "nginx-deployment-67d4bdd6f5-w6kd7",
                "namespace": "kosmos",
                "ownerReferences": [
                  {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": true,
                    "controller": true,
                    "kind": "ReplicaSet",
                    "name": "nginx-deployment-67d4bdd6f5",
                    "uid": "7d41dfd4-84c0-4be4-88ab-cedbe626ad82"
                  }
                ],
                "resourceVersion": "1364",
                "uid": "a6501da1-0447-4262-98eb-c03d4002222e"
              },
              "spec": {
                "containers": [
                  {
                    "image": "nginx",
                    "imagePullPolicy": "Always",
                    "name": "nginx",
                    "ports": [
                      {
                        "containerPort": 80,
                        "protocol": "TCP"
                      }
                    ],
                    "resources": {
                      "limits": {
                        "cpu": "500m",
                        "memory": "128Mi"
                      },
                      "requests": {
                        "cpu": "500m",
                        "memory": "128Mi"
                      }
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "kube-api-access-bgsgp",
                        "readOnly": true
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "nodeName": "kube-worker-1",
                "preemptionPolicy": "PreemptLowerPriority",
                "priority": 0,
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  },
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  }
                ],
                "volumes": [
                  {
                    "name": "kube-api-access-bgsgp",
                    "projected": {
                      "defaultMode": 420,
                      "sources": [
                        {
                          "serviceAccountToken": {
                            "expirationSeconds": 3607,
                            "path": "token"
                          }
                        },
                        {
                          "configMap": {
                            "items": [
                              {
                                "key": "ca.crt",
                                "path": "ca.crt"
                              }
                            ],
                            "name": "kube-root-ca.crt"
                          }
                        },
                        {
                          "downwardAPI": {
                            "items": [
                              {
                                "fieldRef": {
                                  "apiVersion": "v1",
                                  "fieldPath": "metadata.namespace"
                                },
                                "path": "namespace"
                              }
                            ]
                          }
                        }
                      ]
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2022-02-17T21:51:01Z",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2022-02-17T21:51:06Z",
                    "status": "True",
                    "type": "Ready"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2022-02-17T21:51:06Z",
                    "status": "True",
                    "type": "ContainersReady"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2022-02-17T21:51:01Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "containerID": "containerd://5403af59a2b46ee5a23fb0ae4b1e077f7ca5c5fb7af16e1ab21c00e0e616462a",
                    "image": "docker.io/library/nginx:latest",
                    "imageID": "docker.io/library/nginx@sha256:2834dc507516af02784808c5f48b7cbe38b8ed5d0f4837f16e78d00deb7e7767",
                    "lastState": {},
                    "name": "nginx",
                    "ready": true,
                    "restartCount": 0,
                    "started": true,
                    "state": {
                      "running": {
                        "startedAt": "2022-02-17T21:51:05Z"
                      }
                    }
                  }
                ],
                "hostIP": "192.168.0.113",
                "phase": "Running",
                "podIP": "10.88.0.3",
                "podIPs": [
                  {
                    "ip": "10.88.0.3"
                  },
                  {
                    "ip": "2001:db8::1"
                  }
                ],
                "qosClass": "Guaranteed",
                "startTime": "2022-02-17T21:51:01Z"
              }
            }
            """,
        ["02-crashloop-exit1"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2018-12-02T09:19:36Z",
                "name": "my-pod",
                "namespace": "kosmos",
                "resourceVersion": "151454",
                "selfLink": "/api/v1/namespaces/argocd/pods/my-pod",
                "uid": "63674389-f613-11e8-a057-fe5f49266390",
                "labels": {
                  "app": "crash-agent"
                }
              },
              "spec": {
                "containers": [
                  {
                    "command": [
                      "sh",
                      "-c",
                      "exit 1"
                    ],
                    "image": "alpine:latest",
                    "imagePullPolicy": "Always",
                    "name": "main",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "default-token-f9jvj",
                        "readOnly": true
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "nodeName": "minikube",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  },
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  }
                ],
                "volumes": [
                  {
                    "name": "default-token-f9jvj",
                    "secret": {
                      "defaultMode": 420,
                      "secretName": "default-token-f9jvj"
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:19:36Z",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:19:36Z",
                    "message": "containers with unready status: [main]",
                    "reason": "ContainersNotReady",
                    "status": "False",
                    "type": "Ready"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:19:36Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "containerID": "docker://c3aa0064b95a26045999b99c268e715a1c64201e816f1279ac06638778547bb8",
                    "image": "alpine:latest",
                    "imageID": "docker-pullable://alpine@sha256:621c2f39f8133acb8e64023a94dbdf0d5ca81896102b9e57c0dc184cadaf5528",
                    "lastState": {
                      "terminated": {
                        "containerID": "docker://c3aa0064b95a26045999b99c268e715a1c64201e816f1279ac06638778547bb8",
                        "exitCode": 1,
                        "finishedAt": "2018-12-02T09:20:25Z",
                        "reason": "Error",
                        "startedAt": "2018-12-02T09:20:25Z"
                      }
                    },
                    "name": "main",
                    "ready": false,
                    "restartCount": 3,
                    "state": {
                      "waiting": {
                        "message": "Back-off 40s restarting failed container=main pod=my-pod_argocd(63674389-f613-11e8-a057-fe5f49266390)",
                        "reason": "CrashLoopBackOff"
                      }
                    }
                  }
                ],
                "hostIP": "192.168.64.41",
                "phase": "Running",
                "podIP": "172.17.0.9",
                "qosClass": "BestEffort",
                "startTime": "2018-12-02T09:19:36Z"
              }
            }
            """,
        ["04-failed-restartnever-error"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2018-12-02T09:17:56Z",
                "name": "my-pod",
                "namespace": "kosmos",
                "resourceVersion": "151243",
                "selfLink": "/api/v1/namespaces/argocd/pods/my-pod",
                "uid": "27c0fdf5-f613-11e8-a057-fe5f49266390",
                "labels": {
                  "app": "batch-agent"
                }
              },
              "spec": {
                "containers": [
                  {
                    "command": [
                      "sh",
                      "-c",
                      "exit 1"
                    ],
                    "image": "alpine:latest",
                    "imagePullPolicy": "Always",
                    "name": "main",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "default-token-f9jvj",
                        "readOnly": true
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "nodeName": "minikube",
                "restartPolicy": "Never",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  },
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  }
                ],
                "volumes": [
                  {
                    "name": "default-token-f9jvj",
                    "secret": {
                      "defaultMode": 420,
                      "secretName": "default-token-f9jvj"
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:17:56Z",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:17:56Z",
                    "message": "containers with unready status: [main]",
                    "reason": "ContainersNotReady",
                    "status": "False",
                    "type": "Ready"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:17:56Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "containerID": "docker://e5f5ce03ecf6d5ad7e131aac09053e5ef6212b067b3d10f3e39ef6e176a3ed60",
                    "image": "alpine:latest",
                    "imageID": "docker-pullable://alpine@sha256:621c2f39f8133acb8e64023a94dbdf0d5ca81896102b9e57c0dc184cadaf5528",
                    "lastState": {},
                    "name": "main",
                    "ready": false,
                    "restartCount": 0,
                    "state": {
                      "terminated": {
                        "containerID": "docker://e5f5ce03ecf6d5ad7e131aac09053e5ef6212b067b3d10f3e39ef6e176a3ed60",
                        "exitCode": 1,
                        "finishedAt": "2018-12-02T09:17:59Z",
                        "reason": "Error",
                        "startedAt": "2018-12-02T09:17:59Z"
                      }
                    }
                  }
                ],
                "hostIP": "192.168.64.41",
                "phase": "Failed",
                "podIP": "172.17.0.9",
                "qosClass": "BestEffort",
                "startTime": "2018-12-02T09:17:56Z"
              }
            }
            """,
        ["05-imagepullbackoff"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2019-04-04T16:06:55Z",
                "generateName": "guestbook-ui-errimagepullbackoff-66cfffb669-",
                "labels": {
                  "app": "guestbook-agent",
                  "pod-template-hash": "2279996225"
                },
                "name": "guestbook-ui-errimagepullbackoff-66cfffb669-45w2j",
                "namespace": "kosmos",
                "ownerReferences": [
                  {
                    "apiVersion": "extensions/v1beta1",
                    "blockOwnerDeletion": true,
                    "controller": true,
                    "kind": "ReplicaSet",
                    "name": "guestbook-ui-errimagepullbackoff-66cfffb669",
                    "uid": "ab0e507e-56f3-11e9-8721-025000000001"
                  }
                ],
                "resourceVersion": "339374",
                "selfLink": "/api/v1/namespaces/default/pods/guestbook-ui-errimagepullbackoff-66cfffb669-45w2j",
                "uid": "ab1a9982-56f3-11e9-8721-025000000001"
              },
              "spec": {
                "containers": [
                  {
                    "image": "gcr.io/heptio-images/ks-guestbook-demo:0.3",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "errimagepullbackoff",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "default-token-7hn5p",
                        "readOnly": true
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "nodeName": "docker-for-desktop",
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  },
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  }
                ],
                "volumes": [
                  {
                    "name": "default-token-7hn5p",
                    "secret": {
                      "defaultMode": 420,
                      "secretName": "default-token-7hn5p"
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2019-04-04T16:06:56Z",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2019-04-04T16:06:56Z",
                    "message": "containers with unready status: [errimagepullbackoff]",
                    "reason": "ContainersNotReady",
                    "status": "False",
                    "type": "Ready"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2019-04-04T16:06:55Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "image": "gcr.io/heptio-images/ks-guestbook-demo:0.3",
                    "imageID": "",
                    "lastState": {},
                    "name": "errimagepullbackoff",
                    "ready": false,
                    "restartCount": 0,
                    "state": {
                      "waiting": {
                        "message": "Back-off pulling image \"gcr.io/heptio-images/ks-guestbook-demo:0.3\"",
                        "reason": "ImagePullBackOff"
                      }
                    }
                  }
                ],
                "hostIP": "192.168.65.3",
                "phase": "Pending",
                "podIP": "10.1.0.136",
                "qosClass": "BestEffort",
                "startTime": "2019-04-04T16:06:56Z"
              }
            }
            """,
        ["06-readiness-failing-liveness-ok"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2025-02-03T10:31:50Z",
                "name": "slow-start-pod",
                "namespace": "kosmos",
                "resourceVersion": "424384538",
                "uid": "cc0ff436-50bb-49a5-a76c-6b6b873cb1de",
                "labels": {
                  "app": "slow-agent"
                }
              },
              "spec": {
                "containers": [
                  {
                    "command": [
                      "sh",
                      "-c",
                      "sleep 3600"
                    ],
                    "image": "busybox",
                    "imagePullPolicy": "Always",
                    "livenessProbe": {
                      "exec": {
                        "command": [
                          "sh",
                          "-c",
                          "echo alive"
                        ]
                      },
                      "failureThreshold": 3,
                      "initialDelaySeconds": 3,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "timeoutSeconds": 1
                    },
                    "name": "slow-container",
                    "readinessProbe": {
                      "exec": {
                        "command": [
                          "sh",
                          "-c",
                          "sleep 600 && exit 1"
                        ]
                      },
                      "failureThreshold": 100,
                      "initialDelaySeconds": 5,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "timeoutSeconds": 1
                    },
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "kube-api-access-jtpfz",
                        "readOnly": true
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "imagePullSecrets": [
                  {
                    "name": "dockerhub"
                  }
                ],
                "nodeName": "ip-10-0-4-167.eu-west-1.compute.internal",
                "preemptionPolicy": "PreemptLowerPriority",
                "priority": 0,
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  },
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  }
                ],
                "volumes": [
                  {
                    "name": "kube-api-access-jtpfz",
                    "projected": {
                      "defaultMode": 420,
                      "sources": [
                        {
                          "serviceAccountToken": {
                            "expirationSeconds": 3607,
                            "path": "token"
                          }
                        },
                        {
                          "configMap": {
                            "items": [
                              {
                                "key": "ca.crt",
                                "path": "ca.crt"
                              }
                            ],
                            "name": "kube-root-ca.crt"
                          }
                        },
                        {
                          "downwardAPI": {
                            "items": [
                              {
                                "fieldRef": {
                                  "apiVersion": "v1",
                                  "fieldPath": "metadata.namespace"
                                },
                                "path": "namespace"
                              }
                            ]
                          }
                        }
                      ]
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2025-02-03T10:31:53Z",
                    "status": "True",
                    "type": "PodReadyToStartContainers"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2025-02-03T10:31:50Z",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2025-02-03T10:31:50Z",
                    "message": "containers with unready status: [slow-container]",
                    "reason": "ContainersNotReady",
                    "status": "False",
                    "type": "Ready"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2025-02-03T10:31:50Z",
                    "message": "containers with unready status: [slow-container]",
                    "reason": "ContainersNotReady",
                    "status": "False",
                    "type": "ContainersReady"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2025-02-03T10:31:50Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "containerID": "containerd://ad0eda231ac102fee79bee9b2d71b8573445e45615aced0742500d88ceb23418",
                    "image": "docker.io/library/busybox:latest",
                    "imageID": "docker.io/library/busybox@sha256:a5d0ce49aa801d475da48f8cb163c354ab95cab073cd3c138bd458fc8257fbf1",
                    "lastState": {},
                    "name": "slow-container",
                    "ready": false,
                    "restartCount": 0,
                    "started": true,
                    "state": {
                      "running": {
                        "startedAt": "2025-02-03T10:31:52Z"
                      }
                    }
                  }
                ],
                "hostIP": "10.0.4.167",
                "hostIPs": [
                  {
                    "ip": "10.0.4.167"
                  }
                ],
                "phase": "Running",
                "podIP": "10.0.4.177",
                "podIPs": [
                  {
                    "ip": "10.0.4.177"
                  }
                ],
                "qosClass": "BestEffort",
                "startTime": "2025-02-03T10:31:50Z"
              }
            }
            """,
        ["08-completed"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "creationTimestamp": "2018-12-02T09:15:16Z",
                "name": "my-pod",
                "namespace": "kosmos",
                "resourceVersion": "151066",
                "selfLink": "/api/v1/namespaces/argocd/pods/my-pod",
                "uid": "c86e909c-f612-11e8-a057-fe5f49266390",
                "labels": {
                  "app": "job-agent"
                }
              },
              "spec": {
                "containers": [
                  {
                    "command": [
                      "sh",
                      "-c",
                      "sleep 10"
                    ],
                    "image": "alpine:latest",
                    "imagePullPolicy": "Always",
                    "name": "main",
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                      {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "default-token-f9jvj",
                        "readOnly": true
                      }
                    ]
                  }
                ],
                "dnsPolicy": "ClusterFirst",
                "nodeName": "minikube",
                "restartPolicy": "Never",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  },
                  {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300
                  }
                ],
                "volumes": [
                  {
                    "name": "default-token-f9jvj",
                    "secret": {
                      "defaultMode": 420,
                      "secretName": "default-token-f9jvj"
                    }
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:15:16Z",
                    "reason": "PodCompleted",
                    "status": "True",
                    "type": "Initialized"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:15:30Z",
                    "reason": "PodCompleted",
                    "status": "False",
                    "type": "Ready"
                  },
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2018-12-02T09:15:16Z",
                    "status": "True",
                    "type": "PodScheduled"
                  }
                ],
                "containerStatuses": [
                  {
                    "containerID": "docker://acfb261d6c1fe8c543438a202de62cb06c137fa93a2d59262d764470e96f3195",
                    "image": "alpine:latest",
                    "imageID": "docker-pullable://alpine@sha256:621c2f39f8133acb8e64023a94dbdf0d5ca81896102b9e57c0dc184cadaf5528",
                    "lastState": {},
                    "name": "main",
                    "ready": false,
                    "restartCount": 0,
                    "state": {
                      "terminated": {
                        "containerID": "docker://acfb261d6c1fe8c543438a202de62cb06c137fa93a2d59262d764470e96f3195",
                        "exitCode": 0,
                        "finishedAt": "2018-12-02T09:15:29Z",
                        "reason": "Completed",
                        "startedAt": "2018-12-02T09:15:19Z"
                      }
                    }
                  }
                ],
                "hostIP": "192.168.64.41",
                "phase": "Succeeded",
                "podIP": "172.17.0.9",
                "qosClass": "BestEffort",
                "startTime": "2018-12-02T09:15:16Z"
              }
            }
            """,
        ["09-pending-unschedulable-cpu"] = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "name": "ticktock1-log-v1-67468fc4cf-7sjhq",
                "uid": "00000000-0000-0000-0000-000000000009",
                "namespace": "kosmos",
                "labels": {
                  "app": "ticktock-log-agent"
                }
              },
              "spec": {
                "containers": [
                  {
                    "name": "app",
                    "image": "unknown"
                  }
                ]
              },
              "status": {
                "conditions": [
                  {
                    "lastProbeTime": null,
                    "lastTransitionTime": "2019-11-11T12:29:26Z",
                    "message": "0/1 nodes are available: 1 Insufficient cpu.",
                    "reason": "Unschedulable",
                    "status": "False",
                    "type": "PodScheduled"
                  }
                ],
                "phase": "Pending",
                "qosClass": "Guaranteed"
              }
            }
            """,
    };
}
