"""The studio's roles (SPEC.md §1): Django groups, each with the permissions it grants.

A user holds roles per team, through the membership; the group carries the permissions.
"""

DOMAIN_EXPERT = "Domain expert"
DATASET_ADMIN = "Dataset admin"
REVIEWER = "Reviewer"

# Permission codenames live on accounts.Membership as custom permissions (see its Meta).
ROLE_PERMISSIONS = {
    DOMAIN_EXPERT: ["launch_run", "view_datasets", "request_release"],
    DATASET_ADMIN: ["manage_datasets", "view_datasets", "view_audit_log"],
    REVIEWER: ["review_release", "view_datasets", "view_audit_log"],
}

ROLES = tuple(ROLE_PERMISSIONS)
