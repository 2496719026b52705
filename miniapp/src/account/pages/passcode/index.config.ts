export default definePageConfig({ navigationBarTitleText: '电子身份证密码' });
