//! Roles and what each may do. A user's reach is also bounded by their org unit: see
//! [`crate::scope::Scope`].
//!
//! # Separation of duties (三员分立)
//!
//! The platform has no all-powerful account. Administration is split between three roles whose
//! rights do not overlap, and none of them reads or writes the district's records:
//!
//! | Permission            | 区级业务管理员 | 乡镇 | 村级 | 党员 | 只读 | 系统管理员 | 安全管理员 | 审计管理员 | 待分配 |
//! |-----------------------|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|:---:|
//! | `ReadData`            |  ✓  |  ✓  |  ✓  |  ✓  |  ✓  |     |     |     |     |
//! | `WriteData`           |  ✓  |  ✓  |  ✓  |     |     |     |     |     |     |
//! | `LogVisits`           |  ✓  |  ✓  |  ✓  |  ✓  |     |     |     |     |     |
//! | `SeePersonalData`     |  ✓  |  ✓  |  ✓  |     |     |     |     |     |     |
//! | `ListUsers`           |     |     |     |     |     |  ✓  |  ✓  |     |     |
//! | `ManageAccounts`      |     |     |     |     |     |  ✓  |     |     |     |
//! | `AssignRoles`         |     |     |     |     |     |     |  ✓  |     |     |
//! | `ResetSecondFactor`   |     |     |     |     |     |     |  ✓  |     |     |
//! | `ReadAudit`           |     |     |     |     |     |     |     |  ✓  |     |
//!
//! - The **system administrator** creates accounts (they start as 待分配, with no rights),
//!   edits names, disables and re-enables accounts and resets passwords (the new one must be
//!   changed at the next sign-in).
//! - The **security administrator** assigns each account its role and org unit (the scope) and
//!   resets a lost second factor. Because a password reset and a second-factor reset belong to
//!   different administrators, neither alone can take over an administrator's account.
//! - The **audit administrator** reads the audit trail and the personal-data access log.
//! - Nobody changes their own role, unit or state, and no route deletes or edits audit rows.
//! - `SeePersonalData` shows an ID or phone number unmasked only after the user gives a reason,
//!   which the access log records.
//! - The three administrator roles must sign in with a TOTP second factor
//!   ([`Role::needs_second_factor`]).

use serde::Serialize;

/// A user's role. Stored by [`Role::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 区级业务管理员: manages the district's records (not accounts, not the audit trail).
    DistrictAdmin,
    /// 乡镇用户: a township clerk or leader, works on the township's subtree.
    TownshipUser,
    /// 村级用户: a village secretary or clerk.
    VillageUser,
    /// 党员: a party member logging visits to linked households.
    PartyMember,
    /// 只读: sees figures and masked records, changes nothing.
    Viewer,
    /// 系统管理员: creates, edits and disables accounts, resets passwords.
    SystemAdmin,
    /// 安全管理员: assigns roles and org units, resets second factors.
    SecurityAdmin,
    /// 审计管理员: reads the audit trail and the access log.
    AuditAdmin,
    /// 待分配: a new account waiting for the security administrator; may do nothing.
    Unassigned,
}

/// Something a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read domain records in scope (personal fields masked).
    ReadData,
    /// Create, edit and import domain records in scope.
    WriteData,
    /// Log visits and raise demands for one's own linked households.
    LogVisits,
    /// See an ID or phone number unmasked, one at a time, with a reason (access-logged).
    SeePersonalData,
    /// List the accounts in scope (both account administrators need to find one).
    ListUsers,
    /// Create accounts, edit names, disable/enable, reset passwords.
    ManageAccounts,
    /// Set another account's role and org unit.
    AssignRoles,
    /// Clear another account's TOTP second factor so it enrols again.
    ResetSecondFactor,
    /// Read the audit trail and the personal-data access log.
    ReadAudit,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::DistrictAdmin,
        Role::TownshipUser,
        Role::VillageUser,
        Role::PartyMember,
        Role::Viewer,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::Unassigned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::DistrictAdmin => "district_admin",
            Role::TownshipUser => "township_user",
            Role::VillageUser => "village_user",
            Role::PartyMember => "party_member",
            Role::Viewer => "viewer",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::Unassigned => "unassigned",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.code() == s)
    }

    /// The Chinese name shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Role::DistrictAdmin => "区级业务管理员",
            Role::TownshipUser => "乡镇用户",
            Role::VillageUser => "村级用户",
            Role::PartyMember => "党员",
            Role::Viewer => "只读",
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
            Role::Unassigned => "待分配角色",
        }
    }

    /// One of the three administrators of 三员分立.
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }

    /// Must sign in with a TOTP code after the password.
    pub fn needs_second_factor(self) -> bool {
        self.is_administrator()
    }

    /// Where this role lands after sign-in.
    pub fn home(self) -> &'static str {
        match self {
            Role::SystemAdmin | Role::SecurityAdmin => "/admin/users",
            Role::AuditAdmin => "/admin/audit",
            _ => "/dashboard",
        }
    }

    /// The one place that says which role may do what (the table above).
    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::DistrictAdmin | Role::TownshipUser | Role::VillageUser => {
                matches!(p, ReadData | WriteData | LogVisits | SeePersonalData)
            }
            Role::PartyMember => matches!(p, ReadData | LogVisits),
            Role::Viewer => matches!(p, ReadData),
            Role::SystemAdmin => matches!(p, ListUsers | ManageAccounts),
            Role::SecurityAdmin => matches!(p, ListUsers | AssignRoles | ResetSecondFactor),
            Role::AuditAdmin => matches!(p, ReadAudit),
            Role::Unassigned => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    const ALL_PERMISSIONS: &[Permission] = &[
        ReadData,
        WriteData,
        LogVisits,
        SeePersonalData,
        ListUsers,
        ManageAccounts,
        AssignRoles,
        ResetSecondFactor,
        ReadAudit,
    ];

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn no_role_can_do_everything() {
        for r in Role::ALL {
            assert!(
                ALL_PERMISSIONS.iter().any(|p| !r.can(*p)),
                "{r:?} may do everything"
            );
        }
    }

    #[test]
    fn the_three_administrators_share_no_right_but_listing_accounts() {
        let admins = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];
        for p in ALL_PERMISSIONS.iter().filter(|p| **p != ListUsers) {
            let holders = admins.iter().filter(|r| r.can(*p)).count();
            assert!(holders <= 1, "{p:?} is held by {holders} administrators");
        }
        for p in [ManageAccounts, AssignRoles, ResetSecondFactor, ReadAudit] {
            let holders: Vec<_> = Role::ALL.iter().filter(|r| r.can(p)).collect();
            assert_eq!(holders.len(), 1, "{p:?}: {holders:?}");
            assert!(holders[0].is_administrator());
        }
    }

    #[test]
    fn administrators_read_no_records_and_data_roles_administer_nothing() {
        for r in Role::ALL {
            if r.is_administrator() {
                assert!(!r.can(ReadData) && !r.can(SeePersonalData), "{r:?}");
                assert!(r.needs_second_factor());
            } else {
                for p in [
                    ListUsers,
                    ManageAccounts,
                    AssignRoles,
                    ResetSecondFactor,
                    ReadAudit,
                ] {
                    assert!(!r.can(p), "{r:?} {p:?}");
                }
            }
        }
        assert!(ALL_PERMISSIONS.iter().all(|p| !Role::Unassigned.can(*p)));
    }

    #[test]
    fn viewers_and_party_members_see_personal_data_masked() {
        assert!(!Role::Viewer.can(SeePersonalData));
        assert!(!Role::PartyMember.can(SeePersonalData));
        assert!(!Role::Viewer.can(WriteData));
    }
}
