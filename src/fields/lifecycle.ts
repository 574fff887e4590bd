// How a declared image's fields are managed over its life (the YAML `lifecycle:` block). The
// config loader fills it and the planner obeys it, so it lives below both.

export interface Lifecycle {
  prevent_destroy: boolean;
  /** JSON Pointers into the image fields ("/description", "/tags"). */
  ignore_changes: string[];
  /**
   * A create may make an image whose name another image, owned by no state entry, already has
   * (`lifecycle.allow_duplicate_name`, or the provider's `allow_duplicate_names`). Absent: no.
   */
  allow_duplicate_name?: boolean;
}
