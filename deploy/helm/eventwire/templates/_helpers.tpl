{{/* Names, labels and the pieces every workload shares. */}}

{{- define "eventwire.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-eventwire, or the release name when it already contains the chart name. */}}
{{- define "eventwire.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "eventwire.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of one component's objects: <fullname>-<component>. Argument: (dict "root" $ "component" "cleaner"). */}}
{{- define "eventwire.componentName" -}}
{{- printf "%s-%s" (include "eventwire.fullname" .root | trunc 52 | trimSuffix "-") .component }}
{{- end }}

{{/* Labels that never change for a component's pods (Deployment selectors are immutable). */}}
{{- define "eventwire.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eventwire.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The standard labels on every object. Argument: (dict "root" $ "component" "cleaner"). */}}
{{- define "eventwire.labels" -}}
helm.sh/chart: {{ include "eventwire.chart" .root }}
{{ include "eventwire.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: eventwire
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "eventwire.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "eventwire.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "eventwire.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
A scalar as the text a flag expects. Helm reads numbers in values as floats, which print as
"1e+06"; whole numbers are printed as integers.
*/}}
{{- define "eventwire.scalar" -}}
{{- if kindIs "float64" . }}
{{- if eq . (floor .) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- else }}
{{- . }}
{{- end }}
{{- end }}

{{/* Metrics/health port of each service (the binaries' defaults). */}}
{{- define "eventwire.port" -}}
{{- get (dict "ingest" 9101 "cleaner" 9102 "tagger" 9103) . }}
{{- end }}

{{/* Logical input topic of each consuming service. */}}
{{- define "eventwire.inputTopic" -}}
{{- get (dict "cleaner" "articles.raw" "tagger" "articles.clean") . }}
{{- end }}

{{/* Consumer group of a service. Argument: (dict "root" $ "component" "cleaner"). */}}
{{- define "eventwire.group" -}}
{{- $svc := index .root.Values .component }}
{{- default (printf "eventwire-%s" .component) $svc.group }}
{{- end }}

{{/*
librdkafka options that hold credentials: refused in kafka.options (which ends up in the pod
spec in clear) so they go through kafka.secretOptions.
*/}}
{{- define "eventwire.secretKafkaKeys" -}}
sasl.password ssl.key.password ssl.keystore.password ssl.key.pem sasl.oauthbearer.client.secret sasl.oauthbearer.config
{{- end }}

{{/* Options the runtime owns (crates/runtime/src/config.rs refuses them at start). */}}
{{- define "eventwire.reservedKafkaKeys" -}}
bootstrap.servers metadata.broker.list group.id enable.auto.commit enable.auto.offset.store enable.idempotence
{{- end }}

{{/* Environment shared by every container: Kafka connection, topic prefix, logging. */}}
{{- define "eventwire.commonEnv" -}}
{{- $kafka := .Values.kafka }}
{{- $secretKeys := splitList " " (include "eventwire.secretKafkaKeys" .) }}
{{- $reserved := splitList " " (include "eventwire.reservedKafkaKeys" .) }}
{{- $opts := list }}
{{- range $k, $v := $kafka.options }}
{{- if has $k $secretKeys }}
{{- fail (printf "kafka.options.%s is a credential and would be stored in the pod spec in clear; put it in the Secret named by kafka.secretOptions.existingSecret instead" $k) }}
{{- end }}
{{- if has $k $reserved }}
{{- fail (printf "kafka.options.%s is managed by eventwire (set kafka.brokers, <service>.group; offsets and idempotence are fixed by the runtime)" $k) }}
{{- end }}
{{- if contains ";" (toString $v) }}
{{- fail (printf "kafka.options.%s contains ';', which separates settings in EVENTWIRE_KAFKA_OPTIONS" $k) }}
{{- end }}
{{- $opts = append $opts (printf "%s=%s" $k (include "eventwire.scalar" $v)) }}
{{- end }}
- name: EVENTWIRE_BROKERS
  value: {{ required "kafka.brokers is required (host:port,...)" $kafka.brokers | quote }}
- name: EVENTWIRE_TOPIC_PREFIX
  value: {{ $kafka.topicPrefix | quote }}
{{- /* Kubernetes expands $(VAR) in values from variables defined earlier in the list; "$$(" keeps a literal "$(". */}}
{{- $plain := join ";" $opts | replace "$(" "$$(" }}
{{- if $kafka.secretOptions.existingSecret }}
- name: EVENTWIRE_KAFKA_SECRET_OPTIONS
  valueFrom:
    secretKeyRef:
      name: {{ $kafka.secretOptions.existingSecret }}
      key: {{ required "kafka.secretOptions.key is required with kafka.secretOptions.existingSecret" $kafka.secretOptions.key }}
- name: EVENTWIRE_KAFKA_OPTIONS
  value: {{ compact (list $plain "$(EVENTWIRE_KAFKA_SECRET_OPTIONS)") | join ";" | quote }}
{{- else if $plain }}
- name: EVENTWIRE_KAFKA_OPTIONS
  value: {{ $plain | quote }}
{{- end }}
- name: EVENTWIRE_LOG_FORMAT
  value: {{ .Values.log.format | quote }}
- name: EVENTWIRE_LOG
  value: {{ .Values.log.level | quote }}
{{- end }}

{{/* settings as EVENTWIRE_* variables. Argument: a settings map. */}}
{{- define "eventwire.settingsEnv" -}}
{{- range $k, $v := . }}
{{- if not (kindIs "invalid" $v) }}
- name: {{ printf "EVENTWIRE_%s" ($k | snakecase | upper) }}
  value: {{ include "eventwire.scalar" $v | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volumes every pod has: a writable /tmp (the root filesystem is read-only) and the Kafka TLS Secret. */}}
{{- define "eventwire.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "eventwire.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: {{ .Values.kafka.tls.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{/* Pod-level scheduling and security shared by every workload. Argument: (dict "root" $ "component" "cleaner"). */}}
{{- define "eventwire.podCommon" -}}
{{- $root := .root }}
serviceAccountName: {{ include "eventwire.serviceAccountName" $root }}
automountServiceAccountToken: false
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Refuses values that cannot work together, with a message naming the keys. Called once, from
deployment.yaml: Helm executes every template (even with --show-only), so any install, upgrade,
template or lint with such values fails with this message.
*/}}
{{- define "eventwire.validate" -}}
{{- $v := .Values }}
{{- range $name := list "cleaner" "tagger" }}
{{- $svc := index $v $name }}
{{- if and $svc.enabled $v.keda.enabled $svc.keda.enabled $svc.hpa.enabled }}
{{- fail (printf "keda.enabled and %s.hpa.enabled cannot both be set: KEDA's ScaledObject creates and owns its own HPA for the %s Deployment, and two autoscalers would fight over its replicas. Disable one (set %s.hpa.enabled=false, or %s.keda.enabled=false to keep the CPU HPA for this service)" $name $name $name $name) }}
{{- end }}
{{- $shutdown := int64 (default 20 $svc.settings.shutdownTimeoutSecs) }}
{{- if le (int64 $svc.terminationGracePeriodSeconds) (add $shutdown 5 | int64) }}
{{- fail (printf "%s.terminationGracePeriodSeconds (%d) must exceed settings.shutdownTimeoutSecs (%d) by more than 5 s, or Kubernetes kills the pod before it has drained, flushed and committed" $name (int64 $svc.terminationGracePeriodSeconds) $shutdown) }}
{{- end }}
{{- if and $svc.hpa.enabled (gt (int64 $svc.hpa.minReplicas) (int64 $svc.hpa.maxReplicas)) }}
{{- fail (printf "%s.hpa.minReplicas must not exceed %s.hpa.maxReplicas" $name $name) }}
{{- end }}
{{- if and $v.keda.enabled $svc.keda.enabled (gt (int64 $svc.keda.minReplicas) (int64 $svc.keda.maxReplicas)) }}
{{- fail (printf "%s.keda.minReplicas must not exceed %s.keda.maxReplicas" $name $name) }}
{{- end }}
{{- end }}
{{- if and $v.keda.enabled (eq $v.keda.trigger "prometheus") (not $v.keda.prometheus.serverAddress) }}
{{- fail "keda.trigger=prometheus needs keda.prometheus.serverAddress (the Prometheus that scrapes the PodMonitor)" }}
{{- end }}
{{- if and $v.ingest.enabled (not $v.ingest.volume) }}
{{- fail "ingest.enabled needs ingest.volume: the volume holding the articles to publish (e.g. persistentVolumeClaim: {claimName: articles})" }}
{{- end }}
{{- end }}
