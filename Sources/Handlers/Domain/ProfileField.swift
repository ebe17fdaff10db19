/// The user fields `update_user_profile` may change: the allow-list.
///
/// Anything else (`verified`, `id`, timestamps, fields that do not exist) is refused, so
/// an agent cannot grant itself a verification or rewrite identity columns.
public enum ProfileField: String, Sendable, CaseIterable, Codable {
    case firstName = "first_name"
    case lastName = "last_name"
    case email
    case phoneNumber = "phone_number"
    case company
    case title
    case linkedinURL = "linkedin_url"
    case timezone
}
