//! Roles and what each may do. A user's reach is also bounded by their org unit: see
//! [`crate::scope::Scope`].

use serde::Serialize;

/// A user's role. Stored by [`Role::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 区级管理员: manages the district's data and accounts.
    DistrictAdmin,
    /// 乡镇用户: a township clerk or leader, works on the township's subtree.
    TownshipUser,
    /// 村级用户: a village secretary or clerk.
    VillageUser,
    /// 党员: a party member logging visits to linked households.
    PartyMember,
    /// 只读: sees figures and masked records, changes nothing.
    Viewer,
}

/// Something a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read domain records in scope (personal fields masked unless [`Permission::SeePersonalData`]).
    ReadData,
    /// Create, edit and import domain records in scope.
    WriteData,
    /// Log visits and raise demands for one's own linked households.
    LogVisits,
    /// See ID numbers and phone numbers unmasked.
    SeePersonalData,
    /// Create, edit and disable user accounts in scope.
    ManageUsers,
    /// Read the audit trail.
    ReadAudit,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::DistrictAdmin,
        Role::TownshipUser,
        Role::VillageUser,
        Role::PartyMember,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::DistrictAdmin => "district_admin",
            Role::TownshipUser => "township_user",
            Role::VillageUser => "village_user",
            Role::PartyMember => "party_member",
            Role::Viewer => "viewer",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.code() == s)
    }

    /// The Chinese name shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Role::DistrictAdmin => "区级管理员",
            Role::TownshipUser => "乡镇用户",
            Role::VillageUser => "村级用户",
            Role::PartyMember => "党员",
            Role::Viewer => "只读",
        }
    }

    /// The one place that says which role may do what.
    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::DistrictAdmin => true,
            Role::TownshipUser | Role::VillageUser => {
                matches!(p, ReadData | WriteData | LogVisits | SeePersonalData)
            }
            Role::PartyMember => matches!(p, ReadData | LogVisits),
            Role::Viewer => matches!(p, ReadData),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn only_the_district_admin_manages_users_and_reads_audit() {
        for r in Role::ALL {
            let admin = *r == Role::DistrictAdmin;
            assert_eq!(r.can(Permission::ManageUsers), admin, "{r:?}");
            assert_eq!(r.can(Permission::ReadAudit), admin, "{r:?}");
        }
    }

    #[test]
    fn viewers_and_party_members_see_personal_data_masked() {
        assert!(!Role::Viewer.can(Permission::SeePersonalData));
        assert!(!Role::PartyMember.can(Permission::SeePersonalData));
        assert!(!Role::Viewer.can(Permission::WriteData));
    }
}
