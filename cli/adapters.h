/* The adapters of the command table (commands.c): one per row, each turning the
 * parsed flags into one library call. */
#ifndef SCALEKIT_CLI_ADAPTERS_H
#define SCALEKIT_CLI_ADAPTERS_H

#include "cli.h"

int cli_org_create(cli_run *r);
int cli_org_list(cli_run *r);
int cli_org_get(cli_run *r);
int cli_org_get_by_external_id(cli_run *r);
int cli_org_update(cli_run *r);
int cli_org_delete(cli_run *r);
int cli_org_update_by_external_id(cli_run *r);
int cli_org_features(cli_run *r);
int cli_org_max_users(cli_run *r);
int cli_org_session_policy(cli_run *r);
int cli_org_portal_link(cli_run *r);

int cli_user_list(cli_run *r);
int cli_user_search(cli_run *r);
int cli_user_get(cli_run *r);
int cli_user_get_by_external_id(cli_run *r);
int cli_user_create(cli_run *r);
int cli_user_update(cli_run *r);
int cli_user_delete(cli_run *r);
int cli_user_update_by_external_id(cli_run *r);
int cli_user_delete_by_external_id(cli_run *r);

int cli_membership_create(cli_run *r);
int cli_membership_update(cli_run *r);
int cli_membership_delete(cli_run *r);
int cli_membership_create_by_external_id(cli_run *r);
int cli_membership_update_by_external_id(cli_run *r);
int cli_membership_delete_by_external_id(cli_run *r);
int cli_membership_resend_invite(cli_run *r);
int cli_membership_roles(cli_run *r);
int cli_membership_permissions(cli_run *r);
int cli_membership_assign_roles(cli_run *r);
int cli_membership_remove_role(cli_run *r);

int cli_session_list(cli_run *r);
int cli_session_get(cli_run *r);
int cli_session_revoke(cli_run *r);
int cli_session_revoke_all(cli_run *r);

int cli_domain_create(cli_run *r);
int cli_domain_list(cli_run *r);
int cli_domain_get(cli_run *r);
int cli_domain_delete(cli_run *r);

int cli_directory_create(cli_run *r);
int cli_directory_list(cli_run *r);
int cli_directory_get(cli_run *r);
int cli_directory_primary(cli_run *r);
int cli_directory_delete(cli_run *r);
int cli_directory_enable(cli_run *r);
int cli_directory_disable(cli_run *r);
int cli_directory_create_secret(cli_run *r);
int cli_directory_regenerate_secret(cli_run *r);
int cli_directory_users(cli_run *r);
int cli_directory_groups(cli_run *r);

int cli_role_create(cli_run *r);
int cli_role_get(cli_run *r);
int cli_role_list(cli_run *r);
int cli_role_update(cli_run *r);
int cli_role_delete(cli_run *r);
int cli_role_users_count(cli_run *r);
int cli_role_dependents(cli_run *r);
int cli_role_defaults(cli_run *r);
int cli_role_permissions(cli_run *r);
int cli_role_add_permissions(cli_run *r);
int cli_role_remove_permission(cli_run *r);

int cli_permission_create(cli_run *r);
int cli_permission_get(cli_run *r);
int cli_permission_list(cli_run *r);
int cli_permission_update(cli_run *r);
int cli_permission_delete(cli_run *r);

int cli_connection_list(cli_run *r);
int cli_connection_list_by_domain(cli_run *r);
int cli_connection_get(cli_run *r);
int cli_connection_create(cli_run *r);
int cli_connection_update(cli_run *r);
int cli_connection_enable(cli_run *r);
int cli_connection_disable(cli_run *r);
int cli_connection_delete(cli_run *r);
int cli_client_create(cli_run *r);
int cli_client_list(cli_run *r);
int cli_client_get(cli_run *r);
int cli_client_update(cli_run *r);
int cli_client_delete(cli_run *r);
int cli_client_add_secret(cli_run *r);
int cli_client_remove_secret(cli_run *r);
int cli_log_auth(cli_run *r);
int cli_passkey_list(cli_run *r);
int cli_passkey_rename(cli_run *r);
int cli_passkey_delete(cli_run *r);

int cli_passwordless_send(cli_run *r);
int cli_passwordless_verify(cli_run *r);
int cli_passwordless_resend(cli_run *r);

/* `scalekit emulator ...`: scalekit_emulator_main under the name "scalekit emulator". */
int scalekit_emulator_main_cli(int argc, char **argv);

#endif
